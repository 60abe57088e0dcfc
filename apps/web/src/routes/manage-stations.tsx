import { createLazyRoute } from '@tanstack/react-router';
import { PageTitle } from '../components/Layout';
import { Console } from '../manage/Console';
import { Stations } from '../manage/Stations';

export const Route = createLazyRoute('/manage/stations')({ component: ManageStations });

/** The chosen location's kitchen stations. */
function ManageStations() {
  return (
    <Console>
      {({ location }) => (
        <>
          <PageTitle title={`Stations · ${location.name}`}>Stations</PageTitle>
          <Stations key={location.id} location={location} />
        </>
      )}
    </Console>
  );
}
