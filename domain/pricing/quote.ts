import { accessTo, holdingsOf, type Entitlement } from '../access/entitlements';
import type { Course } from '../catalog/model';
import { PRICE_RULES, type PriceAsk, type QuoteReason } from './rules';

/** What a learner would pay for a course now, and why. Prices always come from here, never the client. */
export interface Quote {
  /** fen */
  amount: number;
  /** the price struck through: the list price of a course on sale, or the price a member or upgrade price replaces */
  originalAmount?: number;
  reason: QuoteReason;
}

/**
 * The price of `course` for the learner holding `entitlements` (read with `entitlementsFor(...,
 * ...pricingCourseIds(course.price))`), by the rules of `PRICE_RULES`.
 */
export function quote(course: Pick<Course, '_id' | 'price'>, entitlements: Entitlement[], now: Date, ask: PriceAsk = {}): Quote {
  const { price } = course;
  const ctx = { price, access: accessTo(course, entitlements, now), holdings: holdingsOf(entitlements, now), ask };
  let best: { reason: QuoteReason; amount: number } | undefined;
  for (const rule of PRICE_RULES) {
    const amount = rule.amount(ctx);
    if (amount === undefined) continue;
    // A group seat shows the price it replaces struck through.
    if (rule.final) return { amount, reason: rule.reason, ...(rule.reason === 'group' ? { originalAmount: price.amount } : {}) };
    if (!best || amount < best.amount) best = { reason: rule.reason, amount };
  }
  // The list rule always applies.
  const { reason, amount } = best!;
  const originalAmount = reason === 'list' ? price.originalAmount : price.amount;
  return { amount, ...(originalAmount ? { originalAmount } : {}), reason };
}

/** The price anyone pays, whatever they hold: a gift is bought at it (the buyer's benefits are theirs). */
export const publicQuote = (course: Pick<Course, '_id' | 'price'>, now: Date): Quote => quote(course, [], now);
