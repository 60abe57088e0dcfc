import { createLazyRoute, getRouteApi } from '@tanstack/react-router';
import { Console } from '../manage/Console';
import { OrderDetail } from '../manage/OrderDetail';

export const Route = createLazyRoute('/manage/orders/$orderId')({ component: ManageOrder });
const route = getRouteApi('/manage/orders/$orderId');

/** One order of the chosen location: what was sold, its history, its money. */
function ManageOrder() {
  const { orderId } = route.useParams();
  return <Console>{({ location }) => <OrderDetail location={location} orderId={orderId} />}</Console>;
}
