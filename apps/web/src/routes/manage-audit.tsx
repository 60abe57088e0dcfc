import { createLazyRoute } from '@tanstack/react-router';
import { PageTitle } from '../components/Layout';
import { Console } from '../manage/Console';
import { AuditLog } from '../manage/People';

export const Route = createLazyRoute('/manage/audit')({ component: ManageAuditLog });

/** Audit log in the manager's console (admins only: anyone else sees “not found”). */
function ManageAuditLog() {
  return (
    <Console who="admin">
      {({ location }) => (
        <>
          <PageTitle title={`Audit log · ${location.name}`}>Audit log</PageTitle>
          <AuditLog key={location.id} location={location} />
        </>
      )}
    </Console>
  );
}
