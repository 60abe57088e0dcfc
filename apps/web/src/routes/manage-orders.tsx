import { createLazyRoute } from '@tanstack/react-router';
import { PageTitle } from '../components/Layout';
import { Console } from '../manage/Console';
import { OrdersList } from '../manage/OrdersList';

export const Route = createLazyRoute('/manage/orders')({ component: ManageOrders });

/** The day's orders at the chosen location. */
function ManageOrders() {
  return (
    <Console>
      {({ location }) => (
        <>
          <PageTitle title={`Orders · ${location.name}`}>Orders</PageTitle>
          <OrdersList key={location.id} location={location} />
        </>
      )}
    </Console>
  );
}
