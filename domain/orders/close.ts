import type { Database } from '../../server/database';
import type { Payments } from '../../server/payments';
import type { OrderView } from '../contracts/orders';
import { DomainError } from '../errors';
import { releaseCoupon } from '../coupons/orders';
import { toOrderView } from './view';
import { ORDERS, type Order } from './model';
import { readOrder, saveOrder } from './store';
import { transition } from './transitions';

/**
 * Closes an unpaid order: first at the provider, so it can no longer be paid, then `pending -> closed`
 * in a transaction that also gives its coupon back. 'paid' when the learner paid first (the order stays
 * pending; its notification, or reconciliation, completes it). Closing a closed order changes nothing.
 */
export async function closeOrder(db: Database, payments: Payments, order: Order, reason: string, now: Date): Promise<Order | 'paid'> {
  if (order.status === 'closed') return order;
  if (order.status !== 'pending') return 'paid';
  if ((await payments.of(order.provider).close(order)) === 'paid') return 'paid';
  return db.runTransaction(async (tx) => {
    const current = await readOrder(tx, order._id);
    if (!current) throw new Error(`order ${order._id} vanished while being closed`);
    if (current.status !== 'pending') return current.status === 'closed' ? current : 'paid';
    const closed = transition(current, 'closed', reason, now);
    await releaseCoupon(tx, closed);
    await saveOrder(tx, closed);
    return closed;
  });
}

/** The learner gives up an unpaid order of theirs. */
export async function cancelOrder(db: Database, payments: Payments, openid: string, orderId: string, now: Date): Promise<{ order: OrderView }> {
  const { data } = await db.collection<Order>(ORDERS).where({ _id: orderId, openid }).get();
  const order = data[0];
  if (!order) throw new DomainError('NOT_FOUND', '订单不存在');
  const closed = await closeOrder(db, payments, order, 'cancelled by the learner', now);
  if (closed === 'paid') throw new DomainError('CONFLICT', '订单已支付，不能取消；如需退款请申请退款');
  return { order: toOrderView(closed) };
}
