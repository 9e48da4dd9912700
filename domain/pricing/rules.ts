import type { Access, Holdings } from '../access/entitlements';
import type { PriceModel } from '../catalog/model';

/**
 * Why a learner pays what they pay:
 * - free: the course costs nothing for anyone
 * - owned: the learner may already study it (bought, or included in their membership): nothing to buy
 * - list: the course's price (a sale price when `originalAmount` is set)
 * - member: the member price of a course not included in membership
 * - upgrade: the advanced course's price for a learner who holds its entry course
 */
export type QuoteReason = 'free' | 'owned' | 'list' | 'member' | 'upgrade';

/** What a rule looks at: the course's price model, and what the learner holds now. */
export interface PricingContext {
  price: PriceModel;
  access: Access;
  holdings: Holdings;
}

export interface PriceRule {
  reason: QuoteReason;
  /** what the rule asks of this learner, or undefined when it does not apply to them */
  amount(ctx: PricingContext): number | undefined;
  /** when it applies, it is the answer whatever the others ask (nothing to pay) */
  final?: true;
}

/**
 * The pricing rules of a course, as data: the final rules first, in order; otherwise the lowest amount
 * among the rules that apply, the earlier rule winning a tie. A new rule (a coupon, a campaign) is a row.
 */
export const PRICE_RULES: readonly PriceRule[] = [
  { reason: 'free', final: true, amount: ({ price }) => (price.amount === 0 ? 0 : undefined) },
  { reason: 'owned', final: true, amount: ({ access }) => (access === 'purchased' || access === 'member' ? 0 : undefined) },
  { reason: 'list', amount: ({ price }) => price.amount },
  { reason: 'member', amount: ({ price, holdings }) => (holdings.member ? price.memberAmount : undefined) },
  {
    reason: 'upgrade',
    amount: ({ price: { upgrade }, holdings }) => (upgrade && holdings.courses.has(upgrade.fromCourseId) ? upgrade.amount : undefined),
  },
];

/** The other courses whose entitlements a course's price depends on (read with the course's own). */
export const pricingCourseIds = (price: PriceModel): string[] => (price.upgrade ? [price.upgrade.fromCourseId] : []);
