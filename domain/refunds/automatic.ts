import type { Order } from '../orders/model';
import { transition } from '../orders/transitions';
import { refundNumberFor } from './submit';

/**
 * The order after the product itself starts giving its payment back (a group-buy payment with no seat,
 * a group that failed): `refunding`, with a refund `requestedBy: 'system'` whose reason the learner reads.
 * Money that arrived on a pending or closed order buys nothing: it passes through `needsRefund` first, so
 * its history says so. The caller saves it in its transaction, then submits the refund (`submitRefund`);
 * if the function dies in between, reconciliation asks the provider under the same number. A learner's
 * pending request (`refundRequested`) is overtaken: the money goes back anyway.
 */
export function startAutomaticRefund(order: Order, reason: string, now: Date): Order {
  if (!order.payment) throw new Error(`order ${order._id} has no payment to give back`);
  const owed = order.status === 'pending' || order.status === 'closed' ? transition(order, 'needsRefund', reason, now) : order;
  // A number an earlier attempt failed under is spent (as for staff's approval); otherwise it is reused.
  const previous = order.refund;
  const attempt = previous ? previous.attempt + (previous.failure ? 1 : 0) : 1;
  const refund = { outRefundNo: refundNumberFor(order._id, attempt), attempt, amount: order.payment.amount, reason, requestedAt: now, requestedBy: 'system' as const };
  return transition({ ...owed, refund }, 'refunding', 'refund started automatically', now);
}
