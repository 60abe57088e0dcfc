import { createLazyRoute } from '@tanstack/react-router';
import { PageTitle } from '../components/Layout';
import { Console } from '../manage/Console';
import { Settings } from '../manage/Settings';

export const Route = createLazyRoute('/manage/settings')({ component: ManageSettings });

/** The chosen location's settings. */
function ManageSettings() {
  return (
    <Console>
      {({ location }) => (
        <>
          <PageTitle title={`Settings · ${location.name}`}>Settings</PageTitle>
          <Settings key={location.id} location={location} />
        </>
      )}
    </Console>
  );
}
