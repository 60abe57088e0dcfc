import { createLazyRoute } from '@tanstack/react-router';
import { PageTitle } from '../components/Layout';
import { Console } from '../manage/Console';
import { MenuEditor } from '../manage/MenuEditor';

export const Route = createLazyRoute('/manage/menu')({ component: ManageMenu });

/** The menu editor of the chosen location. */
function ManageMenu() {
  return (
    <Console>
      {({ location }) => (
        <>
          <PageTitle title={`Menu · ${location.name}`}>Menu</PageTitle>
          <MenuEditor key={location.id} location={location} />
        </>
      )}
    </Console>
  );
}
