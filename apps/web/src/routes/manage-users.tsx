import { createLazyRoute } from '@tanstack/react-router';
import { PageTitle } from '../components/Layout';
import { Console } from '../manage/Console';
import { Users } from '../manage/People';

export const Route = createLazyRoute('/manage/users')({ component: ManageUsers });

/** Users in the manager's console (admins only: anyone else sees “not found”). */
function ManageUsers() {
  return (
    <Console who="admin">
      {({ me, location }) => (
        <>
          <PageTitle title={`Users · ${location.name}`}>Users</PageTitle>
          <Users key={location.id} location={location} meId={me.id} />
        </>
      )}
    </Console>
  );
}
