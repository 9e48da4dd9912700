import type { OrderView } from '../contracts/orders';
import type { Order, OrderItem } from './model';

/** The item as the learner sees it on an order: its refund rule reaches them as the order's refund view. */
function itemView(item: OrderItem): OrderItem {
  if (item.kind === 'membership') return item;
  const { refundRule: _rule, ...shown } = item;
  return shown;
}

/** An order as its learner sees it: the refund rule, the coupon's lock and the payment's details stay on the server. */
export function toOrderView(order: Pick<Order, '_id' | 'item' | 'amount' | 'originalAmount' | 'coupon' | 'group' | 'status' | 'createdAt' | 'paidAt' | 'closedAt'>): OrderView {
  return {
    id: order._id,
    item: itemView(order.item),
    amount: order.amount,
    ...(order.originalAmount ? { originalAmount: order.originalAmount } : {}),
    ...(order.coupon ? { coupon: { id: order.coupon.id, title: order.coupon.title, discount: order.coupon.discount } } : {}),
    ...(order.group ? { group: { id: order.group.id, leader: order.group.leader } } : {}),
    status: order.status,
    createdAt: order.createdAt,
    ...(order.paidAt ? { paidAt: order.paidAt } : {}),
    ...(order.closedAt ? { closedAt: order.closedAt } : {}),
  };
}
