import { pageOf, type Database } from '../../server/database';
import type { Payments } from '../../server/payments';
import type { ListRefundRequestsResponse, listRefundRequestsRequest, ReviewRefundRequest, ReviewRefundResponse } from '../contracts/refunds';
import type * as z from '../contracts/schema';
import { DomainError } from '../errors';
import { ORDER_STATUS_TEXT, ORDERS, type Order, type OrderRefund } from '../orders/model';
import { transition } from '../orders/transitions';
import { holdFor } from './effects';
import { boughtNothingReason } from './rules';
import { readOrder, saveOrder } from '../orders/store';
import { refundNumberFor, submitRefund } from './submit';
import { refundRequestViewOf } from './view';
import { recordAudit, type StaffRef } from '../staff/audit';

/**
 * Orders waiting for staff, oldest first, one page, in one request: requests to review and refunds under
 * way by when they were asked for (the `status_refundRequestedAt` index), money that bought nothing by
 * when it was ordered (`status_createdAt`).
 */
export async function listRefundRequests(db: Database, req: z.output<typeof listRefundRequestsRequest>): Promise<ListRefundRequestsResponse> {
  const { items, page, hasMore } = await pageOf(
    db
      .collection<Order>(ORDERS)
      .where({ status: req.status })
      .orderBy(req.status === 'needsRefund' ? 'createdAt' : 'refund.requestedAt', 'asc')
      .orderBy('_id', 'asc'),
    req,
  );
  return { requests: items.map(refundRequestViewOf), page, hasMore };
}

/** The order's refund for this approval: the learner's request if any, under the number of its next attempt. */
function approvedRefund(order: Order, staff: string, note: string | undefined, now: Date): OrderRefund {
  if (!order.payment) throw new DomainError('CONFLICT', '订单没有收款记录，无需退款');
  const previous = order.refund;
  // A failed attempt's number is spent (the provider answers it with its failure); otherwise the number is reused.
  const attempt = previous ? previous.attempt + (previous.failure ? 1 : 0) : 1;
  const { failure: _spent, ...kept } = previous ?? {};
  return {
    ...kept,
    outRefundNo: refundNumberFor(order._id, attempt),
    attempt,
    amount: order.payment.amount,
    // Staff's own refund: the learner reads its reason on the order page.
    reason: previous?.reason ?? note ?? (order.status === 'needsRefund' ? boughtNothingReason(order.item) : '客服为你办理退款'),
    requestedAt: previous?.requestedAt ?? now,
    requestedBy: previous?.requestedBy ?? 'staff',
    decision: { by: staff, at: now, approved: true, ...(note ? { note } : {}) },
  };
}

/**
 * Staff answer a refund request, or refund on their own.
 * - reject (a note is required: the learner reads it): `refundRequested -> paid`, access kept.
 * - approve: `refundRequested | paid | needsRefund -> refunding`, committed before the provider is asked
 *   (so nothing is lost if the function dies between the two), then the provider's refund. Approving an
 *   order already `refunding` asks the provider again under the same number (a retried approval can
 *   never refund twice).
 * Staff may refund what a learner may not ask for: a membership (its days are taken back on
 * completion), a claimed gift (the friend's course is). A gift still unclaimed is held (`refunding`) from
 * the approval, and claimable again after a rejection or a failure.
 * Requests: the staff check, then a transaction (begin, the order, its write, commit): 5 in all; 7 when
 * a gift is held or released (its read and write: staff's own approval of an unclaimed gift, a
 * rejection), 6 when a claimed one is only read. A refusal by the provider adds `returnFailedRefund`'s
 * transaction (6, 8 releasing a gift) and a read of the order.
 */
export async function reviewRefund(db: Database, payments: Payments, staff: StaffRef, req: ReviewRefundRequest, now: Date): Promise<ReviewRefundResponse> {
  const { note } = req;
  if (!req.approve && !note) throw new DomainError('INVALID_INPUT', '驳回退款申请时请填写原因，学员会看到它');
  const reviewed = await db.runTransaction(async (tx) => {
    const order = await readOrder(tx, req.orderId);
    if (!order) throw new DomainError('NOT_FOUND', '订单不存在');
    if (!req.approve) {
      if (order.status !== 'refundRequested' || !order.refund) throw new DomainError('CONFLICT', `订单当前为「${ORDER_STATUS_TEXT[order.status]}」，没有待审核的退款申请`);
      const decision = { by: staff.uid, at: now, approved: false, ...(note ? { note } : {}) };
      const rejected = transition({ ...order, refund: { ...order.refund, decision } }, 'paid', 'refund rejected by staff', now);
      await holdFor(order)?.release(tx, order);
      await saveOrder(tx, rejected);
      await recordAudit(tx, staff, { action: 'refunds.review', target: { kind: 'order', id: order._id }, summary: `驳回退款申请：${note}`, before: { status: order.status }, after: { status: 'paid', note } }, now);
      return rejected;
    }
    if (order.status === 'refunding') return order;
    if (order.status !== 'refundRequested' && order.status !== 'paid' && order.status !== 'needsRefund') {
      throw new DomainError('CONFLICT', `订单当前为「${ORDER_STATUS_TEXT[order.status]}」，不能退款`);
    }
    // Staff may refund what a learner may not ask for (a membership, a claimed gift): the hold's refusal is the learner's.
    if (order.status === 'paid') await holdFor(order)?.hold(tx, order);
    const approved = transition(
      { ...order, refund: approvedRefund(order, staff.uid, note, now) },
      'refunding',
      order.status === 'refundRequested' ? 'refund approved by staff' : 'refund started by staff',
      now,
    );
    await saveOrder(tx, approved);
    const amount = approved.refund?.amount ?? order.amount;
    await recordAudit(tx, staff, {
      action: 'refunds.review',
      target: { kind: 'order', id: order._id },
      summary: `${order.status === 'refundRequested' ? '同意退款申请' : '发起退款'}，退 ${(amount / 100).toFixed(2)} 元${note ? `：${note}` : ''}`,
      before: { status: order.status },
      after: { status: 'refunding', amount, ...(note ? { note } : {}) },
    }, now);
    return approved;
  });
  if (!req.approve) return { order: refundRequestViewOf(reviewed), outcome: 'rejected' };

  if (!reviewed.refund) throw new Error(`order ${reviewed._id} is refunding without a refund`);
  const outcome = await submitRefund(db, payments, reviewed, reviewed.refund, now);
  if (outcome !== 'returned') return { order: refundRequestViewOf(reviewed), outcome };
  const { data } = await db.collection<Order>(ORDERS).where({ _id: reviewed._id }).get();
  return { order: refundRequestViewOf(data[0]!), outcome };
}
