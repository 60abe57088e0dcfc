import { createLazyRoute } from '@tanstack/react-router';
import { PageTitle } from '../components/Layout';
import { Console } from '../manage/Console';
import { Stock } from '../manage/Stock';

export const Route = createLazyRoute('/manage/stock')({ component: ManageStock });

/** The chosen location's pantry. */
function ManageStock() {
  return (
    <Console>
      {({ location }) => (
        <>
          <PageTitle title={`Stock · ${location.name}`}>Stock</PageTitle>
          <Stock key={location.id} location={location} />
        </>
      )}
    </Console>
  );
}
