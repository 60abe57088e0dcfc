import { createLazyRoute } from '@tanstack/react-router';
import { PageTitle } from '../components/Layout';
import { Console } from '../manage/Console';
import { Staff } from '../manage/People';

export const Route = createLazyRoute('/manage/staff')({ component: ManageStaff });

/** Staff in the manager's console. */
function ManageStaff() {
  return (
    <Console>
      {({ location }) => (
        <>
          <PageTitle title={`Staff · ${location.name}`}>Staff</PageTitle>
          <Staff key={location.id} location={location} />
        </>
      )}
    </Console>
  );
}
