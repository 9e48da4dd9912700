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
 * - paid | needsRefund -> refunding -> refunded; a refund that fails goes back where it came from.
 */
export const orderTransitions: Readonly<Record<OrderStatus, { readonly to: readonly OrderStatus[] }>> = {
  pending: { to: ['paid', 'closed', 'needsRefund'] },
  paid: { to: ['refunding'] },
  closed: { to: ['paid', 'needsRefund'] },
  needsRefund: { to: ['refunding'] },
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
 * The order after moving to `to`, with the move in its history and its time stamped (`paidAt`,
 * `closedAt`). Pure: the caller writes the result in the transaction that read the order.
 */
export function transition(order: Order, to: OrderStatus, reason: string, at: Date): Order {
  if (!canTransition(order.status, to)) throw new IllegalTransitionError(order._id, order.status, to);
  return {
    ...order,
    status: to,
    ...(to === 'paid' ? { paidAt: at } : {}),
    ...(to === 'closed' ? { closedAt: at } : {}),
    history: [...order.history, { from: order.status, to, at, reason }],
  };
}
