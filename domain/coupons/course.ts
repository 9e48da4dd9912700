/**
 * The coupons of one course, as its learner sees them on the course's page and at checkout: what they may
 * claim, and what each coupon they hold would take off the price the pricing rules give them. The same
 * rules price the order (`createOrder`), so what the picker shows is what the order charges.
 */
import type { Database } from '../../server/database';
import { entitlementsFor } from '../access/entitlements';
import type { ClaimableCampaignView, CouponOption, GetCourseCouponsResponse } from '../contracts/coupons';
import { publishedCourse } from '../orders/create';
import { couponDiscount } from '../pricing/coupon';
import { quote } from '../pricing/quote';
import { pricingCourseIds } from '../pricing/rules';
import { claimRefusal, couponView, isNewLearner, MAX_LISTED } from './claim';
import { CAMPAIGNS, COUPONS, type Campaign, type Coupon } from './model';

/** Active campaigns a course can be claimed for, at most: far more than a school runs at once. */
const MAX_CAMPAIGNS = 50;

const claimableView = (c: Campaign, held: number): ClaimableCampaignView => ({
  id: c._id,
  title: c.title,
  rule: c.rule,
  scope: c.scope,
  newLearnersOnly: c.newLearnersOnly,
  ...(c.validFrom ? { validFrom: c.validFrom } : {}),
  ...(c.validUntil ? { validUntil: c.validUntil } : {}),
  ...(c.validDays !== undefined ? { validDays: c.validDays } : {}),
  perLearnerLimit: c.perLearnerLimit,
  held,
});

/**
 * Requests: the course, the active campaigns for it (school-wide or naming it) and the learner's coupons at
 * once; then their entitlements (the price), and whether they are new when a campaign is for new learners
 * only. A learner who may already study the course (or a free course) gets nothing to claim or use.
 */
export async function getCourseCoupons(db: Database, openid: string, courseId: string, now: Date): Promise<GetCourseCouponsResponse> {
  const _ = db.command;
  const [course, { data: campaigns }, { data: held }] = await Promise.all([
    publishedCourse(db, courseId),
    db
      .collection<Campaign>(CAMPAIGNS)
      .where(_.or([{ status: 'active', scope: 'school' }, { status: 'active', 'scope.courseIds': courseId }]))
      .limit(MAX_CAMPAIGNS)
      .get(),
    db.collection<Coupon>(COUPONS).where({ openid }).orderBy('claimedAt', 'desc').limit(MAX_LISTED).get(),
  ]);
  const [entitlements, isNew] = await Promise.all([
    entitlementsFor(db, openid, course._id, ...pricingCourseIds(course.price)),
    campaigns.some((c) => c.newLearnersOnly) ? isNewLearner(db, openid) : true,
  ]);
  const price = quote(course, entitlements, now);
  if (price.reason === 'free' || price.reason === 'owned') return { amount: price.amount, claimable: [], coupons: [], best: null };

  const heldOf = new Map<string, number>();
  for (const c of held) heldOf.set(c.campaignId, (heldOf.get(c.campaignId) ?? 0) + 1);
  const claimable = campaigns
    .filter((c) => claimRefusal(c, now) === null && (isNew || !c.newLearnersOnly) && (heldOf.get(c._id) ?? 0) < c.perLearnerLimit)
    .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())
    .map((c) => claimableView(c, heldOf.get(c._id) ?? 0));

  const options: CouponOption[] = held
    .filter((c) => c.scope === 'school' || c.scope.courseIds.includes(course._id))
    .map((c): CouponOption => {
      const priced = couponDiscount(c, course._id, price, now);
      const view = couponView(c, now);
      return 'discount' in priced
        ? { ...view, discount: priced.discount, payAmount: price.amount - priced.discount }
        : { ...view, discount: 0, payAmount: price.amount, unusable: priced.refusal };
    })
    // Used and expired coupons are in 我的优惠券, not at checkout.
    .filter((o) => o.status === 'available' || o.status === 'locked')
    .sort((a, b) => Number(a.unusable !== undefined) - Number(b.unusable !== undefined) || b.discount - a.discount || a.expiresAt.getTime() - b.expiresAt.getTime());
  const best = options[0] && !options[0].unusable ? options[0].id : null;
  return { amount: price.amount, claimable, coupons: options, best };
}
