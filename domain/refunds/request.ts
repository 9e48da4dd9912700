import type { Database } from '../../server/database';
import { COURSES } from '../catalog/courses';
import type { Course } from '../catalog/model';
import type { RequestRefundRequest, RequestRefundResponse } from '../contracts/refunds';
import { DomainError } from '../errors';
import { GIFTS, type Gift } from '../gifts/model';
import { ORDERS, type Order, type OrderRefund } from '../orders/model';
import { transition } from '../orders/transitions';
import { PROGRESS } from '../learning/progress';
import { holdFor } from './effects';
import {
  giftRefundEligibility,
  giftRefundRuleText,
  MEMBERSHIP_REFUND_REFUSAL,
  refundEligibility,
  refundRuleText,
  stateRefusal,
  type RefundEligibility,
} from './rules';
import { readOrder, saveOrder } from '../orders/store';
import { refundNumberFor } from './submit';
import { orderViewWithRefund } from './view';

/** Whether the learner may ask for a refund of an order now, and the rule it was judged by (as the learner reads it) when it came to that. */
export interface RefundAssessment {
  eligibility: RefundEligibility;
  rule?: string;
}

type Assessed = Pick<Order, '_id' | 'status' | 'refund' | 'item' | 'paidAt' | 'openid'>;

const refused = (reason: string): RefundAssessment => ({ eligibility: { eligible: false, reason } });
const courseGone = refused('课程信息已不存在，请联系客服退款');

/**
 * Judges a learner's refund request for `order` against its state and what it bought. An order whose
 * state already says no, or a membership (staff only), costs no request; otherwise one round trip of two
 * requests: the course (its lesson count) and the learner's completed lessons, or the gift and its course.
 * The rule is the one the order recorded when it was placed (what the learner was shown), or the course's
 * for orders placed before orders recorded it.
 */
export async function assessRefund(db: Database, order: Assessed, now: Date): Promise<RefundAssessment> {
  const refusal = stateRefusal(order);
  if (refusal) return refused(refusal);
  const { item } = order;
  switch (item.kind) {
    case 'membership':
      return refused(MEMBERSHIP_REFUND_REFUSAL);
    case 'course': {
      const [courses, progress] = await Promise.all([
        db.collection<Course>(COURSES).where({ _id: item.courseId }).field({ refundRule: true, lessonCount: true }).get(),
        db.collection(PROGRESS).where({ openid: order.openid, courseId: item.courseId, completed: true }).count(),
      ]);
      const course = courses.data[0];
      if (!course) return courseGone;
      const rule = item.refundRule ?? course.refundRule;
      return {
        rule: refundRuleText(rule),
        eligibility: refundEligibility(order, { rule, lessonCount: course.lessonCount, completedLessons: progress.total }, now),
      };
    }
    case 'gift': {
      const [gifts, courses] = await Promise.all([
        db.collection<Gift>(GIFTS).where({ _id: order._id }).field({ status: true }).get(),
        db.collection<Course>(COURSES).where({ _id: item.courseId }).field({ refundRule: true }).get(),
      ]);
      const rule = item.refundRule ?? courses.data[0]?.refundRule;
      if (!rule) return courseGone;
      return { rule: giftRefundRuleText(rule), eligibility: giftRefundEligibility(order, gifts.data[0]?.status, rule, now) };
    }
  }
}

/**
 * The learner asks for their paid order's money back, within the course's refund rule: `paid ->
 * refundRequested`, waiting for staff; the learner keeps access meanwhile. Another learner's order is
 * not found. 7 requests: the order, the rule and progress (at once), then a transaction (begin, the
 * order, its write, commit) that checks the order did not move meanwhile (a double tap asks once). A
 * gift is held in that transaction (`refunding`: nobody may claim it while its money may go back),
 * re-read there so a friend's claim and the request serialize on it: 9 requests.
 */
export async function requestRefund(db: Database, openid: string, req: RequestRefundRequest, now: Date): Promise<RequestRefundResponse> {
  const { data } = await db.collection<Order>(ORDERS).where({ _id: req.orderId, openid }).get();
  const order = data[0];
  if (!order) throw new DomainError('NOT_FOUND', '订单不存在');
  const { eligibility } = await assessRefund(db, order, now);
  if (!eligibility.eligible) throw new DomainError('CONFLICT', eligibility.reason);

  const requested = await db.runTransaction(async (tx) => {
    const current = await readOrder(tx, order._id);
    if (!current) throw new DomainError('NOT_FOUND', '订单不存在');
    const refusal = stateRefusal(current) ?? (await holdFor(current)?.hold(tx, current));
    if (refusal) throw new DomainError('CONFLICT', refusal);
    if (!current.payment) throw new Error(`order ${current._id} is paid without a payment record`);
    const refund: OrderRefund = {
      outRefundNo: refundNumberFor(current._id, 1),
      attempt: 1,
      amount: current.payment.amount,
      reason: req.reason,
      requestedAt: now,
      requestedBy: 'learner',
      ...(eligibility.consumed === undefined ? {} : { consumed: eligibility.consumed }),
    };
    const next = transition({ ...current, refund }, 'refundRequested', 'refund requested by the learner', now);
    await saveOrder(tx, next);
    return next;
  });
  return { order: orderViewWithRefund(requested, await assessRefund(db, requested, now)) };
}
