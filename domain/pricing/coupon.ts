import { effectiveStatus, type Coupon, type CouponRule, type CouponScope } from '../coupons/model';
import { yuan } from '../coupons/text';
import type { Quote } from './quote';

/** The least an order may cost: WeChat Pay takes no payment of 0, so a coupon never takes the whole price. */
export const MIN_PAYABLE = 1;

/** What `rule` takes off `amount` fen, as the rule says, before the payable floor; 0 below a threshold. */
function ruleDiscount(rule: CouponRule, amount: number): number {
  switch (rule.kind) {
    case 'amount':
      return rule.amountOff;
    case 'percent':
      // Rounded down: the learner never pays a fraction of a fen more than the percentage says.
      return Math.min(Math.floor((amount * rule.percentOff) / 100), rule.capAmount);
    case 'threshold':
      return amount >= rule.minAmount ? rule.amountOff : 0;
  }
}

const inScope = (scope: CouponScope, courseId: string) => scope === 'school' || scope.courseIds.includes(courseId);

/**
 * Why `coupon` cannot take anything off `quote` for `courseId` now, or undefined when it can. A coupon
 * locked by another unpaid order of the learner's is usable: ordering with it closes that order first.
 */
export function couponRefusal(coupon: Pick<Coupon, 'rule' | 'scope' | 'status' | 'expiresAt'>, courseId: string, quote: Pick<Quote, 'amount'>, now: Date): string | undefined {
  const status = effectiveStatus(coupon, now);
  if (status === 'used') return '优惠券已使用';
  if (status === 'expired') return '优惠券已过期';
  if (!inScope(coupon.scope, courseId)) return '不适用于这门课程';
  if (coupon.rule.kind === 'threshold' && quote.amount < coupon.rule.minAmount) return `满${yuan(coupon.rule.minAmount)}可用`;
  if (quote.amount <= MIN_PAYABLE) return '这门课程已是最低价';
  return undefined;
}

/**
 * The coupon rule of pricing, applied after `PRICE_RULES` chose the learner's price: what the coupon takes
 * off it (never below `MIN_PAYABLE`), or a refusal. The coupon's own rule (amount, percentage with a cap,
 * threshold) was snapshotted when it was claimed.
 */
export function couponDiscount(
  coupon: Pick<Coupon, 'rule' | 'scope' | 'status' | 'expiresAt'>,
  courseId: string,
  quote: Pick<Quote, 'amount'>,
  now: Date,
): { discount: number } | { refusal: string } {
  const refusal = couponRefusal(coupon, courseId, quote, now);
  if (refusal) return { refusal };
  return { discount: Math.min(ruleDiscount(coupon.rule, quote.amount), quote.amount - MIN_PAYABLE) };
}

/** The usable coupon taking off most from `quote` (the earliest to expire on a tie), or undefined. */
export function bestCoupon<C extends Pick<Coupon, 'rule' | 'scope' | 'status' | 'expiresAt'>>(
  coupons: readonly C[],
  courseId: string,
  quote: Pick<Quote, 'amount'>,
  now: Date,
): { coupon: C; discount: number } | undefined {
  let best: { coupon: C; discount: number } | undefined;
  for (const coupon of coupons) {
    const priced = couponDiscount(coupon, courseId, quote, now);
    if (!('discount' in priced)) continue;
    if (!best || priced.discount > best.discount || (priced.discount === best.discount && coupon.expiresAt < best.coupon.expiresAt)) best = { coupon, discount: priced.discount };
  }
  return best;
}
