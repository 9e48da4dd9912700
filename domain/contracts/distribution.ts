/**
 * Distribution (分销) and invitations (老带新), issue 12: the school's rules (console), a learner becoming a
 * promoter, the referral a share carries, the promoter's wallet and withdrawals, and the console's
 * withdrawal queue. Payouts are made by staff outside the product (a bank or WeChat transfer) and marked
 * paid here: no money leaves automatically that the product cannot verify.
 */
import type { Commission, PromoterRule, WithdrawalStatus } from '../distribution/model';
import { id } from './ids';
import { paging } from './paging';
import * as z from './schema';

export const PROMOTER_RULES = ['anyone', 'buyers'] as const satisfies readonly PromoterRule[];
export const WITHDRAWAL_STATUSES = ['requested', 'paid', 'rejected'] as const satisfies readonly WithdrawalStatus[];
/** A withdrawal asks for at least this much (fen): a transfer below it costs staff more than it is worth. */
export const MIN_WITHDRAWAL = 100;

const rate = (what: string) => z.int(`${what}应为整数（%）`).check(z.gte(0, `${what}为 0% 到 50%`), z.lte(50, `${what}为 0% 到 50%`));

/** `saveDistributionSettings` (staff with `campaigns.manage`): the school's rules, audited. */
export const saveDistributionSettingsRequest = z
  .strictObject({
    enabled: z.boolean('请选择是否开启分销'),
    promoterRule: z.enum(PROMOTER_RULES, '请选择谁可以成为推广员'),
    /** % of what a referred buyer pays, for every course without a rate of its own */
    rate: rate('佣金比例'),
    /** courses with a rate of their own (0: no commission on that course) */
    courseRates: z
      .array(z.strictObject({ courseId: z.pipe(z.string('请选择课程'), id), rate: rate('课程佣金比例') }))
      .check(
        z.maxLength(100, '最多为 100 门课程单独设置'),
        z.refine((rates) => new Set(rates.map((r) => r.courseId)).size === rates.length, '课程不能重复'),
      ),
    /** days a buyer stays bound to the promoter who referred them first */
    bindDays: z.int('绑定天数应为整数').check(z.gte(1, '绑定天数为 1 到 365 天'), z.lte(365, '绑定天数为 1 到 365 天')),
    /** 老带新: the coupon campaign an inviter gets a coupon of when an invitee's first purchase clears its refund window */
    inviteRewardCampaignId: z.optional(id),
  });
export type SaveDistributionSettingsRequest = z.input<typeof saveDistributionSettingsRequest>;
export type DistributionSettingsView = z.output<typeof saveDistributionSettingsRequest> & { updatedAt?: Date };
/** `getDistributionSettings` (staff with `campaigns.manage`). */
export const getDistributionSettingsRequest = z.strictObject({});
export interface GetDistributionSettingsResponse {
  settings: DistributionSettingsView;
}

/** `getPromoterProfile` (a learner): whether they are a promoter (and their code), or may become one. */
export interface PromoterProfileView {
  enabled: boolean;
  promoter: boolean;
  /** the code their shares carry */
  code?: string;
  /** whether they may join now, and why not */
  canJoin: boolean;
  why?: string;
  /** the school-wide rate (%), for the join page */
  rate: number;
}
export const getPromoterProfileRequest = z.strictObject({});
export interface GetPromoterProfileResponse {
  profile: PromoterProfileView;
}

/** `joinPromoters` (a learner): becomes a promoter under the school's rule. */
export const joinPromotersRequest = z.strictObject({});
export interface JoinPromotersResponse {
  profile: PromoterProfileView;
}

/** `bindReferrer` (a learner opening a share): binds them to the promoter of `code`, unless bound to another still. */
export const bindReferrerRequest = z.strictObject({ code: z.string().check(z.regex(/^[A-Za-z0-9]{4,16}$/, '推广码格式不正确')) });
export type BindReferrerRequest = z.input<typeof bindReferrerRequest>;
export interface BindReferrerResponse {
  /** bound: to this code now (or already); kept: bound to another promoter still; ignored: their own code, or distribution off */
  outcome: 'bound' | 'kept' | 'ignored';
}

/** `getShareCode` (a promoter or any learner): a mini-program code for a course's page (or the home page) carrying their referral. */
export const getShareCodeRequest = z.strictObject({ courseId: z.optional(id) });
export type GetShareCodeRequest = z.input<typeof getShareCodeRequest>;
export interface GetShareCodeResponse {
  /** cloud file ID of the PNG (storage), and a temporary URL to draw it */
  fileId: string;
  url: string;
  /** what the code opens: the page and its `scene` */
  page: string;
  scene: string;
}

/** A commission as its promoter sees it: the order behind it, never the buyer's identity. */
export type CommissionView = Omit<Commission, '_id' | 'referrer' | 'buyer' | 'withdrawalId' | 'clawedBack' | 'clawbackWithdrawalId'> & { orderId: string };

/** `getWallet` (a promoter): their balances, and one page of commissions, newest first. */
export const getWalletRequest = z.strictObject({ ...paging });
export type GetWalletRequest = z.input<typeof getWalletRequest>;
export interface WalletTotals {
  /** fen not yet withdrawable (within the orders' refund windows) */
  pending: number;
  /** fen that may be withdrawn now */
  available: number;
  /** fen in withdrawals staff have not paid yet */
  requested: number;
  /** fen paid out */
  withdrawn: number;
}
export interface GetWalletResponse {
  totals: WalletTotals;
  commissions: CommissionView[];
  page: number;
  hasMore: boolean;
  withdrawals: WithdrawalView[];
}

/** A withdrawal request, as its promoter and staff see it. */
export interface WithdrawalView {
  id: string;
  /** fen */
  amount: number;
  status: WithdrawalStatus;
  requestedAt: Date;
  commissionCount: number;
  decidedAt?: Date;
  /** staff's words to the promoter (a transfer reference, a reason for refusing) */
  note?: string;
}

/** `requestWithdrawal` (a promoter): asks for everything withdrawable now. */
export const requestWithdrawalRequest = z.strictObject({});
export interface RequestWithdrawalResponse {
  withdrawal: WithdrawalView;
}

/** `listWithdrawals` (staff with `withdrawals.review`): requests of one status, oldest first. */
export const listWithdrawalsRequest = z.strictObject({
  status: z._default(z.enum(WITHDRAWAL_STATUSES, '状态不存在'), 'requested'),
  ...paging,
});
export type ListWithdrawalsRequest = z.input<typeof listWithdrawalsRequest>;
export interface AdminWithdrawalRow extends WithdrawalView {
  openid: string;
  nickname: string;
}
export interface ListWithdrawalsResponse {
  withdrawals: AdminWithdrawalRow[];
  page: number;
  hasMore: boolean;
}

/**
 * `decideWithdrawal` (staff with `withdrawals.review`): marks a request paid, once the money was transferred
 * outside the product (the note names the transfer), or refuses it (the note says why; its commissions
 * become withdrawable again). Audited.
 */
export const decideWithdrawalRequest = z.strictObject({
  withdrawalId: id,
  paid: z.boolean(),
  note: z.pipe(z.string('请填写备注').check(z.trim(), z.minLength(1, '请填写备注（转账单号或拒绝原因）'), z.maxLength(200, '备注最多 200 个字')), z.string()),
});
export type DecideWithdrawalRequest = z.input<typeof decideWithdrawalRequest>;
export interface DecideWithdrawalResponse {
  withdrawal: AdminWithdrawalRow;
}

/** `listPromoters` (staff with `campaigns.manage`): promoters, newest first, with their commissions' totals. */
export const listPromotersRequest = z.strictObject({ ...paging });
export type ListPromotersRequest = z.input<typeof listPromotersRequest>;
export interface AdminPromoterRow {
  openid: string;
  nickname: string;
  code: string;
  joinedAt: Date;
  /** orders that earned them a commission (reversed ones included) */
  orders: number;
  totals: WalletTotals & { reversed: number };
}
export interface ListPromotersResponse {
  promoters: AdminPromoterRow[];
  page: number;
  hasMore: boolean;
}

/** `settleCommissions` (a timer): commissions past their order's refund window become withdrawable; invitation rewards are given. */
export const settleCommissionsRequest = z.object({});
export interface SettleCommissionsReport {
  available: number;
  rewarded: number;
  voided: number;
}
