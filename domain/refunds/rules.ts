import type { RefundRule } from '../catalog/model';
import type { GiftStatus } from '../gifts/model';
import type { Order, OrderItem } from '../orders/model';

const DAY_MS = 86_400_000;

const percent = (share: number) => Math.round(share * 100);

/** The rule as the learner reads it, the same sentence as on the course page before purchase. */
export const refundRuleText = (rule: RefundRule) => `购买后 ${rule.withinDays} 天内且学习进度不超过 ${percent(rule.maxProgress)}% 可申请退款`;

/** The course's rule for a gift: nobody has studied it, so only the window and the claim count. */
export const giftRefundRuleText = (rule: RefundRule) => `购买后 ${rule.withinDays} 天内且好友领取前可申请退款`;

/** Learners cannot ask for a membership back (staff can refund one): its days start being used at once. */
export const MEMBERSHIP_REFUND_REFUSAL = '会员服务开通后不支持在线申请退款，如需帮助请联系客服';

/** A claimed gift is the friend's course: the giver cannot take it back by asking. */
export const GIFT_CLAIMED_REFUSAL = '礼物已被好友领取，不能退款';

/** What a payment of each kind was meant to do, for "this payment could not ..." */
const PURCHASE_DONE: Record<OrderItem['kind'], string> = { course: '开通课程', membership: '开通会员', gift: '生成礼物' };

/** Staff's reason for refunding money that bought nothing, which the learner reads on the order page. */
export const boughtNothingReason = (item: OrderItem) => `这笔付款未能${PURCHASE_DONE[item.kind]}，原路退回`;

/**
 * The share of a course the learner has consumed: lessons completed over the course's lessons.
 * Assumes the learning-progress feature (a later issue) keeps one `progress` document per learner and
 * lesson with `completed: true` once done; until it writes any, every share is 0.
 */
export const consumedShare = (completedLessons: number, lessonCount: number) => (lessonCount > 0 ? Math.min(1, completedLessons / lessonCount) : 0);

/**
 * Why the order, as it stands, cannot be the subject of a learner's refund request (for the learner),
 * or undefined when only its item's rule remains to be checked. One request per order: after staff
 * rejected it, or after the provider failed it, staff are the ones who can refund.
 */
export function stateRefusal(order: Pick<Order, 'status' | 'refund' | 'item'>): string | undefined {
  switch (order.status) {
    case 'pending':
      return '订单未支付，无需退款';
    case 'closed':
      return '订单已关闭，无需退款';
    case 'needsRefund':
      return `这笔付款未能${PURCHASE_DONE[order.item.kind]}，客服会将款项原路退回，无需申请`;
    case 'refundRequested':
      return '已提交退款申请，请等待审核';
    case 'refunding':
      return '退款处理中，款项将原路退回';
    case 'refunded':
      return '订单已退款';
    case 'paid': {
      const { refund } = order;
      if (!refund) return undefined;
      if (refund.decision && !refund.decision.approved) return refund.decision.note ? `退款申请未通过：${refund.decision.note}` : '退款申请未通过';
      return '退款未能完成，客服会与你联系';
    }
  }
}

export type RefundEligibility = { eligible: true; consumed?: number } | { eligible: false; reason: string };

/** Why the order is past its rule's window (`withinDays` after `paidAt`, the last day included), if it is. */
function pastWindow(order: Pick<Order, 'paidAt'>, rule: RefundRule, now: Date): string | undefined {
  if (!order.paidAt || now.getTime() - order.paidAt.getTime() > rule.withinDays * DAY_MS) return `已超过购买后 ${rule.withinDays} 天的退款期限`;
  return undefined;
}

/** What a course order's rule is checked against: the course and how much of it the learner completed. */
export interface RefundFacts {
  rule: RefundRule;
  lessonCount: number;
  completedLessons: number;
}

/**
 * Whether the learner may ask for a refund of a course order now: its state allows it, it was paid at
 * most `withinDays` days ago, and at most `maxProgress` of the course is consumed (both bounds included,
 * as the rule's sentence says "内" and "不超过").
 */
export function refundEligibility(order: Pick<Order, 'status' | 'refund' | 'item' | 'paidAt'>, facts: RefundFacts, now: Date): RefundEligibility {
  const refused = stateRefusal(order) ?? pastWindow(order, facts.rule, now);
  if (refused) return { eligible: false, reason: refused };
  const consumed = consumedShare(facts.completedLessons, facts.lessonCount);
  if (consumed > facts.rule.maxProgress) return { eligible: false, reason: `学习进度已超过 ${percent(facts.rule.maxProgress)}%，不符合退款规则` };
  return { eligible: true, consumed };
}

/**
 * Whether the giver may ask for a refund of a gift order now: its state allows it, nobody claimed the
 * gift (the claim is a friend's course, not the giver's to take back), and it was paid at most the
 * course's `withinDays` ago. Progress does not apply: nobody has studied it.
 */
export function giftRefundEligibility(order: Pick<Order, 'status' | 'refund' | 'item' | 'paidAt'>, gift: GiftStatus | undefined, rule: RefundRule, now: Date): RefundEligibility {
  const refused = stateRefusal(order) ?? giftRefusal(gift) ?? pastWindow(order, rule, now);
  return refused ? { eligible: false, reason: refused } : { eligible: true };
}

/** Why the gift, as it stands, keeps its giver from asking for the money back, if it does. */
export function giftRefusal(gift: GiftStatus | undefined): string | undefined {
  if (!gift) return '礼物信息已不存在，请联系客服退款';
  return gift === 'claimed' ? GIFT_CLAIMED_REFUSAL : undefined;
}
