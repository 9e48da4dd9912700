/**
 * Coupons (issue 12). A campaign (`couponCampaigns`) is what the creator runs: the rule, who may claim, how
 * many, for how long. A learner's coupon (`coupons`) is one claimed copy: a snapshot of the campaign's rule
 * (so editing the campaign later changes no coupon already held), `_id = <campaignId>:<openid>:<n>` with
 * n = 1..perLearnerLimit, so the per-learner limit is a unique key and not a count that races.
 */
export const CAMPAIGNS = 'couponCampaigns';
export const COUPONS = 'coupons';

export type CouponKind = 'amount' | 'percent' | 'threshold';

/** What a coupon takes off an order, in fen. */
export type CouponRule =
  | { kind: 'amount'; amountOff: number }
  /** `percentOff`% off (1-99), never more than `capAmount` */
  | { kind: 'percent'; percentOff: number; capAmount: number }
  /** 满减: `amountOff` off an order of at least `minAmount` */
  | { kind: 'threshold'; minAmount: number; amountOff: number };

/** The whole school, or some courses only. */
export type CouponScope = 'school' | { courseIds: string[] };

export type CampaignStatus = 'active' | 'paused';

export interface Campaign {
  _id: string;
  title: string;
  rule: CouponRule;
  scope: CouponScope;
  /** only learners without a paid order may claim */
  newLearnersOnly: boolean;
  /** claims open; coupons of a window campaign are usable from then */
  validFrom?: Date;
  /** claims close; coupons of a window campaign expire then */
  validUntil?: Date;
  /** when set, a coupon expires this many days after it was claimed */
  validDays?: number;
  totalStock: number;
  perLearnerLimit: number;
  status: CampaignStatus;
  /** a coupon used on a refunded order goes back to its learner (absent on campaigns made before: no) */
  returnOnRefund?: boolean;
  /** coupons claimed, incremented in the claim's transaction: never above totalStock */
  claimed: number;
  createdAt: Date;
  updatedAt: Date;
}

/** `locked`, `used` come with orders taking coupons; `expired` is also computed on read past `expiresAt`. */
export type CouponStatus = 'available' | 'locked' | 'used' | 'expired';

export interface Coupon {
  _id: string;
  campaignId: string;
  openid: string;
  title: string;
  rule: CouponRule;
  scope: CouponScope;
  status: CouponStatus;
  claimedAt: Date;
  expiresAt: Date;
  /** the campaign's setting when claimed */
  returnOnRefund?: boolean;
  /** the order that locked or used it */
  orderId?: string;
  usedAt?: Date;
}

export const couponId = (campaignId: string, openid: string, n: number) => `${campaignId}:${openid}:${n}`;

const DAY_MS = 24 * 60 * 60 * 1000;

/** When a coupon claimed at `claimedAt` expires. */
export function expiryOf(campaign: Pick<Campaign, 'validDays' | 'validUntil'>, claimedAt: Date): Date {
  if (campaign.validDays !== undefined) return new Date(claimedAt.getTime() + campaign.validDays * DAY_MS);
  return campaign.validUntil!;
}

/** The status the holder sees: an available coupon past its expiry is expired, whatever is stored. */
export const effectiveStatus = (coupon: Pick<Coupon, 'status' | 'expiresAt'>, now: Date): CouponStatus =>
  coupon.status === 'available' && coupon.expiresAt <= now ? 'expired' : coupon.status;
