import type { Order, OrderStatus } from './model';

/**
 * Every legal move of an order, as data (Vendure's `orderStateTransitions`). Nothing changes an order's
 * status except `transition()`, which refuses any move not listed here.
 *
 * - pending -> paid: the payment arrived with the quoted amount and access was granted.
 * - pending -> closed: cancelled by the learner or timed out, after the provider closed the trade.
 * - closed -> paid: the learner's payment went through while the order was being closed; the money was
 *   taken, so the learner gets what they paid for (docs/decisions.md).
 * - pending | closed -> needsRefund: money arrived that buys nothing (wrong amount, already owned).
 * - paid -> refundRequested: the learner asked for a refund within the item's refund rule.
 * - refundRequested -> paid: staff rejected the request; the learner keeps access.
 * - refundRequested | paid | needsRefund -> refunding: staff approved the request, or refunded on their
 *   own (a paid order, or money that bought nothing); the provider has been asked for the refund.
 * - refunding -> refunded: the provider confirmed the refund (callback or reconciliation); access this
 *   order granted is revoked in the same transaction (domain/refunds/complete.ts).
 * - refunding -> paid | needsRefund: the provider refused or failed the refund: back where it came from
 *   (`paid` for a learner's or staff's refund of a paid order), with an incident for staff.
 */
export const orderTransitions: Readonly<Record<OrderStatus, { readonly to: readonly OrderStatus[] }>> = {
  pending: { to: ['paid', 'closed', 'needsRefund'] },
  paid: { to: ['refundRequested', 'refunding'] },
  closed: { to: ['paid', 'needsRefund'] },
  needsRefund: { to: ['refunding'] },
  refundRequested: { to: ['paid', 'refunding'] },
  refunding: { to: ['refunded', 'paid', 'needsRefund'] },
  refunded: { to: [] },
};

/** A move the state machine does not allow: a bug or a race the caller did not handle, never ignored. */
export class IllegalTransitionError extends Error {
  constructor(
    readonly orderId: string,
    readonly from: OrderStatus,
    readonly to: OrderStatus,
  ) {
    super(`order ${orderId}: illegal transition ${from} -> ${to}`);
    this.name = 'IllegalTransitionError';
  }
}

export const canTransition = (from: OrderStatus, to: OrderStatus) => orderTransitions[from].to.includes(to);

/**
 * The order after moving to `to`, with the move in its history and its time stamped (`paidAt` the first
 * time it becomes paid, so a rejected or failed refund does not restart the refund window; `closedAt`).
 * Pure: the caller writes the result in the transaction that read the order.
 */
export function transition(order: Order, to: OrderStatus, reason: string, at: Date): Order {
  if (!canTransition(order.status, to)) throw new IllegalTransitionError(order._id, order.status, to);
  return {
    ...order,
    status: to,
    ...(to === 'paid' ? { paidAt: order.paidAt ?? at } : {}),
    ...(to === 'closed' ? { closedAt: at } : {}),
    history: [...order.history, { from: order.status, to, at, reason }],
  };
}
