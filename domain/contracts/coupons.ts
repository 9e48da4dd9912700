/**
 * Coupons (issue 12): campaigns the creator console runs (staff with `campaigns.manage`) and the coupons
 * learners claim from them. The schemas are the console form's validation too, so this file imports nothing
 * that needs Node (types only from the domain).
 */
import type { Campaign, CampaignStatus, Coupon, CouponKind, CouponRule, CouponScope, CouponStatus } from '../coupons/model';
import { dateField, fen, text } from './catalog-admin';
import { id } from './ids';
import { paging } from './paging';
import * as z from './schema';

export const COUPON_KINDS = ['amount', 'percent', 'threshold'] as const satisfies readonly CouponKind[];
export const CAMPAIGN_STATUSES = ['active', 'paused'] as const satisfies readonly CampaignStatus[];
export const COUPON_STATUSES = ['available', 'locked', 'used', 'expired'] as const satisfies readonly CouponStatus[];
/** A learner may hold at most this many coupons of one campaign: each is a document id of its own. */
export const MAX_PER_LEARNER = 10;
/** Courses one coupon may be scoped to. */
export const MAX_SCOPE_COURSES = 50;

const positiveFen = (what: string) => fen(what).check(z.gte(1, `${what}至少 1 分`));

/** What a coupon takes off: an amount, a percentage with a cap, or an amount above a threshold (满减). */
const rule = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({ kind: z.literal('amount'), amountOff: positiveFen('减免金额') }),
    z.strictObject({
      kind: z.literal('percent'),
      percentOff: z.int('折扣比例应为整数').check(z.gte(1, '折扣比例应在 1% 到 99% 之间'), z.lte(99, '折扣比例应在 1% 到 99% 之间')),
      // A percentage without a cap could take most of an expensive course: the cap is required.
      capAmount: z
        .int({ error: (issue) => (issue.input === undefined ? '请填写最多减免金额' : '最多减免金额应为整数（分）') })
        .check(z.gte(1, '最多减免金额至少 1 分'), z.lte(100_000_000, '最多减免金额过高')),
    }),
    z
      .strictObject({ kind: z.literal('threshold'), minAmount: positiveFen('使用门槛'), amountOff: positiveFen('减免金额') })
      .check(z.refine((r) => r.minAmount > r.amountOff, { message: '使用门槛应高于减免金额', path: ['minAmount'] })),
  ],
  '优惠方式不存在',
);

const scope = z.union(
  [
    z.literal('school'),
    z.strictObject({
      courseIds: z
        .array(z.pipe(z.string('请选择课程'), id))
        .check(
          z.minLength(1, '请至少选择一门课程'),
          z.maxLength(MAX_SCOPE_COURSES, `最多选择 ${MAX_SCOPE_COURSES} 门课程`),
          z.refine((ids) => new Set(ids).size === ids.length, '课程不能重复'),
        ),
    }),
  ],
  '适用范围不正确',
);

/**
 * `saveCouponCampaign`: creates a campaign (no `campaignId`) or changes one. Validity is a window
 * (`validFrom`..`validUntil`: claimed and used within it) or `validDays` after claiming (then the window,
 * when given, bounds only when it may be claimed).
 */
export const saveCouponCampaignRequest = z
  .strictObject({
    campaignId: z.optional(id),
    title: text('优惠券名称', 20),
    rule,
    scope,
    newLearnersOnly: z._default(z.boolean(), false),
    validFrom: z.optional(dateField('开始时间')),
    validUntil: z.optional(dateField('结束时间')),
    validDays: z.optional(z.int('有效天数应为整数').check(z.gte(1, '有效天数至少 1 天'), z.lte(365, '有效天数最多 365 天'))),
    totalStock: z.int('发放总量应为整数').check(z.gte(1, '发放总量至少 1 张'), z.lte(1_000_000, '发放总量最多 1000000 张')),
    perLearnerLimit: z.int('每人限领应为整数').check(z.gte(1, '每人至少可领 1 张'), z.lte(MAX_PER_LEARNER, `每人最多限领 ${MAX_PER_LEARNER} 张`)),
    /** a coupon used on an order that is refunded goes back to its learner (usable again until it expires) */
    returnOnRefund: z._default(z.boolean(), false),
    /** a new campaign is active unless given; an edit keeps the status unless given */
    status: z.optional(z.enum(CAMPAIGN_STATUSES, '状态不存在')),
  })
  .check(
    z.refine((c) => c.validDays !== undefined || c.validFrom !== undefined, { message: '请填写开始时间', path: ['validFrom'] }),
    z.refine((c) => c.validDays !== undefined || c.validUntil !== undefined, { message: '请填写结束时间（或领取后有效天数）', path: ['validUntil'] }),
    z.refine((c) => !c.validFrom || !c.validUntil || c.validUntil > c.validFrom, { message: '结束时间应晚于开始时间', path: ['validUntil'] }),
  );
export type SaveCouponCampaignRequest = z.input<typeof saveCouponCampaignRequest>;

/** A campaign as the console shows it: the stored campaign, `id` for `_id`. */
export type CampaignView = Omit<Campaign, '_id'> & { id: string };

export interface SaveCouponCampaignResponse {
  campaign: CampaignView;
  existed: boolean;
}

/** `listCouponCampaigns`: campaigns (of one status), newest first. */
export const listCouponCampaignsRequest = z.strictObject({
  status: z.optional(z.enum(CAMPAIGN_STATUSES, '状态不存在')),
  ...paging,
});
export type ListCouponCampaignsRequest = z.input<typeof listCouponCampaignsRequest>;
export interface ListCouponCampaignsResponse {
  campaigns: CampaignView[];
  page: number;
  hasMore: boolean;
}

/** `setCouponCampaignStatus`: pauses a campaign (no more claims; coupons already held stay) or resumes it. */
export const setCouponCampaignStatusRequest = z.strictObject({
  campaignId: id,
  status: z.enum(CAMPAIGN_STATUSES, '状态不存在'),
});
export type SetCouponCampaignStatusRequest = z.input<typeof setCouponCampaignStatusRequest>;
export interface SetCouponCampaignStatusResponse {
  campaign: CampaignView;
}

/** `claimCoupon` (a learner): one coupon of the campaign. */
export const claimCouponRequest = z.strictObject({ campaignId: id });
export type ClaimCouponRequest = z.input<typeof claimCouponRequest>;

/** A coupon as its holder sees it: `status` is `expired` once past `expiresAt`, whatever is stored. */
export type CouponView = Pick<Coupon, 'campaignId' | 'title' | 'rule' | 'scope' | 'status' | 'claimedAt' | 'expiresAt'> & { id: string };

export interface ClaimCouponResponse {
  coupon: CouponView;
}

/** `listMyCoupons` (a learner): their coupons, usable ones first, newest first within each. */
export const listMyCouponsRequest = z.strictObject({
  status: z.optional(z.enum(COUPON_STATUSES, '状态不存在')),
});
export type ListMyCouponsRequest = z.input<typeof listMyCouponsRequest>;
export interface ListMyCouponsResponse {
  coupons: CouponView[];
}

/**
 * `getCourseCoupons` (a learner, on a course's page and at checkout): the campaigns they may claim for the
 * course now, and the coupons they hold for it with what each takes off the price the pricing rules give
 * them; `best` is the usable coupon that takes off most (the one `createOrder` picks with `bestCoupon`).
 */
export const getCourseCouponsRequest = z.strictObject({ courseId: id });
export type GetCourseCouponsRequest = z.input<typeof getCourseCouponsRequest>;

/** A campaign a learner may claim from, as they see it. */
export interface ClaimableCampaignView {
  id: string;
  title: string;
  rule: CouponRule;
  scope: CouponScope;
  newLearnersOnly: boolean;
  validFrom?: Date;
  validUntil?: Date;
  validDays?: number;
  perLearnerLimit: number;
  /** coupons of this campaign the learner holds (any status) */
  held: number;
}

/** A coupon the learner holds for the course: what it takes off now, or why it cannot be used. */
export interface CouponOption extends CouponView {
  /** fen taken off the price (0 when unusable) */
  discount: number;
  /** fen the learner would pay with it */
  payAmount: number;
  /** why it cannot be used on this course now (not yet met threshold, locked by another order...) */
  unusable?: string;
}

export interface GetCourseCouponsResponse {
  /** fen: the price before any coupon, as the pricing rules give it to this learner */
  amount: number;
  claimable: ClaimableCampaignView[];
  /** usable ones first (most off first), then the others */
  coupons: CouponOption[];
  best: string | null;
}

/**
 * `getCouponCampaignReport` (staff with `campaigns.manage`): how a campaign did. Coupons by status, and the
 * orders that used one: paid (still kept), refunded, their money and what the coupons took off.
 */
export const getCouponCampaignReportRequest = z.strictObject({ campaignId: id });
export type GetCouponCampaignReportRequest = z.input<typeof getCouponCampaignReportRequest>;
export interface CouponCampaignReport {
  claimed: number;
  available: number;
  locked: number;
  used: number;
  expired: number;
  /** orders paid with one of its coupons and not refunded */
  paidOrders: number;
  /** fen those orders paid */
  paidAmount: number;
  /** fen its coupons took off those orders */
  discountAmount: number;
  refundedOrders: number;
}
export interface GetCouponCampaignReportResponse {
  campaign: CampaignView;
  report: CouponCampaignReport;
}
