import { createLazyRoute, Navigate } from '@tanstack/react-router';
import { Console } from '../manage/Console';

export const Route = createLazyRoute('/manage')({ component: ConsoleHome });

/** The console's front door: past the gate, straight to today's orders at the chosen location. */
function ConsoleHome() {
  return <Console>{({ location }) => <Navigate to="/manage/orders" search={{ location: location.id }} replace />}</Console>;
}
