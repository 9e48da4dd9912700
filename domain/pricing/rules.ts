import type { Access, Holdings } from '../access/entitlements';
import type { PriceModel } from '../catalog/model';

/**
 * Why a learner pays what they pay:
 * - free: the course costs nothing for anyone
 * - owned: the learner may already study it (bought, or included in their membership): nothing to buy
 * - list: the course's price (a sale price when `originalAmount` is set)
 * - member: the member price of a course not included in membership
 * - upgrade: the advanced course's price for a learner who holds its entry course
 * - group: the group-buy price, for a learner opening or joining a group (every member pays it)
 */
export type QuoteReason = 'free' | 'owned' | 'list' | 'member' | 'upgrade' | 'group';

/** What the learner asks for besides the course: a seat in a group-buy, at the group's price (fen). */
export interface PriceAsk {
  groupAmount?: number;
}

/** What a rule looks at: the course's price model, what the learner holds now, and what they ask for. */
export interface PricingContext {
  price: PriceModel;
  access: Access;
  holdings: Holdings;
  ask: PriceAsk;
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
  // Every member of a group pays the same: a member price or an upgrade does not apply to a seat.
  { reason: 'group', final: true, amount: ({ ask }) => ask.groupAmount },
  { reason: 'list', amount: ({ price }) => price.amount },
  { reason: 'member', amount: ({ price, holdings }) => (holdings.member ? price.memberAmount : undefined) },
  {
    reason: 'upgrade',
    amount: ({ price: { upgrade }, holdings }) => (upgrade && holdings.courses.has(upgrade.fromCourseId) ? upgrade.amount : undefined),
  },
];

/** The other courses whose entitlements a course's price depends on (read with the course's own). */
export const pricingCourseIds = (price: PriceModel): string[] => (price.upgrade ? [price.upgrade.fromCourseId] : []);
