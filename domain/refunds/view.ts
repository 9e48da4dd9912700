import type { OrderView } from '../contracts/orders';
import type { OrderRefundView, RefundRequestView } from '../contracts/refunds';
import { toOrderView } from '../orders/view';
import type { Order } from '../orders/model';
import type { RefundAssessment } from './request';

/** What the learner's order page needs of an order, refund included. */
export type RefundViewSource = Pick<Order, '_id' | 'item' | 'amount' | 'originalAmount' | 'status' | 'createdAt' | 'paidAt' | 'closedAt' | 'payment' | 'refund'>;

/** The refund side of an order for its learner; none for an order that took no money. Never staff's openid. */
export function refundViewOf(order: RefundViewSource, { eligibility, rule }: RefundAssessment): OrderRefundView | undefined {
  if (order.status === 'pending' || order.status === 'closed') return undefined;
  const { refund } = order;
  return {
    eligible: eligibility.eligible,
    ...(eligibility.eligible ? {} : { ineligibleReason: eligibility.reason }),
    ...(rule ? { rule } : {}),
    amount: refund?.amount ?? order.payment?.amount ?? order.amount,
    ...(refund ? { reason: refund.reason, requestedAt: refund.requestedAt } : {}),
    ...(refund?.decision
      ? { decision: { approved: refund.decision.approved, at: refund.decision.at, ...(refund.decision.note ? { note: refund.decision.note } : {}) } }
      : {}),
    ...(refund?.refundedAt ? { refundedAt: refund.refundedAt } : {}),
  };
}

/** The learner's order with its refund side. */
export function orderViewWithRefund(order: RefundViewSource, assessment: RefundAssessment): OrderView {
  const refund = refundViewOf(order, assessment);
  return { ...toOrderView(order), ...(refund ? { refund } : {}) };
}

/** An order as staff review its refund. */
export function refundRequestViewOf(order: Order): RefundRequestView {
  const { refund } = order;
  return {
    orderId: order._id,
    openid: order.openid,
    item: order.item,
    status: order.status,
    ...(order.payment ? { paidAmount: order.payment.amount } : {}),
    createdAt: order.createdAt,
    ...(order.paidAt ? { paidAt: order.paidAt } : {}),
    ...(refund
      ? {
          refund: {
            reason: refund.reason,
            requestedAt: refund.requestedAt,
            requestedBy: refund.requestedBy,
            ...(refund.consumed === undefined ? {} : { consumed: refund.consumed }),
            outRefundNo: refund.outRefundNo,
            ...(refund.decision ? { decision: refund.decision } : {}),
            ...(refund.failure ? { failure: { at: refund.failure.at, detail: refund.failure.detail } } : {}),
          },
        }
      : {}),
  };
}
