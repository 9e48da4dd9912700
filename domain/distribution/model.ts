/**
 * Distribution (分销) and invitations (老带新), issue 12.
 *
 * - `settings` `_id: 'distribution'`: the school's rules (who may promote, the rates, how long a buyer stays
 *   bound, the invitation reward's campaign).
 * - `promoters` `_id = openid`: a learner who shares, with the `code` their shares carry (not the openid,
 *   which must not reach other learners); a promoter once they joined (`joinedAt`).
 * - `referrals` `_id = the buyer's openid`: whom the buyer is bound to, until `expiresAt`. The first
 *   referrer keeps the buyer until then; a share of another promoter changes nothing meanwhile.
 * - An order snapshots its referral when created (`Order.referral`: the referrer, the rate, the invitation
 *   campaign), so the payment's transaction reads no setting: it records the commission (`commissions`,
 *   `_id = orderId`) as pending, and the invitation reward (`inviteRewards`, `_id = the invitee's openid`:
 *   one per invitee, for their first purchase).
 * - settleCommissions: past the order's refund window (and the order still paid), a commission becomes
 *   available and an invitation reward is given (a coupon of the campaign). A refund completed before
 *   then reverses the commission and voids the reward, in the refund's transaction; after it, a refund
 *   staff make anyway reverses it too, and the promoter's balance bears it.
 * - A promoter withdraws what is available: a `withdrawals` request staff pay outside the product and mark
 *   paid, or refuse (the commissions are available again).
 */
export const SETTINGS = 'settings';
export const DISTRIBUTION_SETTINGS_ID = 'distribution';
export const PROMOTERS = 'promoters';
export const REFERRALS = 'referrals';
export const COMMISSIONS = 'commissions';
export const INVITE_REWARDS = 'inviteRewards';
export const WITHDRAWALS = 'withdrawals';

/** Who may become a promoter: any learner, or only one who has paid for something. */
export type PromoterRule = 'anyone' | 'buyers';

export interface DistributionSettings {
  enabled: boolean;
  promoterRule: PromoterRule;
  /** % of what a referred buyer pays */
  rate: number;
  courseRates: Array<{ courseId: string; rate: number }>;
  bindDays: number;
  inviteRewardCampaignId?: string;
  updatedAt: Date;
}

/** Distribution as a school starts: off, anyone may promote once on, 10%, bound for 30 days. */
export const DEFAULT_DISTRIBUTION: Omit<DistributionSettings, 'updatedAt'> = { enabled: false, promoterRule: 'anyone', rate: 10, courseRates: [], bindDays: 30 };

/** A learner who shares: their code; `joinedAt` once they became a promoter (earning commissions). */
export interface Promoter {
  _id: string;
  code: string;
  createdAt: Date;
  joinedAt?: Date;
}

export interface Referral {
  /** the buyer */
  _id: string;
  referrer: string;
  code: string;
  boundAt: Date;
  expiresAt: Date;
}

/**
 * - pending: within the order's refund window (or the order's refund under way)
 * - available: may be withdrawn
 * - requested: in a withdrawal staff have not paid yet
 * - withdrawn: paid out
 * - reversed: the order was refunded: nothing is owed (or, after a payout, the balance bears it)
 */
export type CommissionStatus = 'pending' | 'available' | 'requested' | 'withdrawn' | 'reversed';

export interface Commission {
  /** the order's id */
  _id: string;
  referrer: string;
  buyer: string;
  courseId: string;
  title: string;
  orderAmount: number;
  rate: number;
  amount: number;
  status: CommissionStatus;
  paidAt: Date;
  availableAt: Date;
  withdrawalId?: string;
  reversedAt?: Date;
  /** set when a refund reversed it after it had been requested or paid out: the promoter's balance bears it */
  clawedBack?: boolean;
  /** a clawback's settlement: '' while owed, then the withdrawal that deducted it */
  clawbackWithdrawalId?: string;
}

export type InviteRewardStatus = 'pending' | 'rewarded' | 'void';

export interface InviteReward {
  /** the invitee */
  _id: string;
  inviter: string;
  orderId: string;
  campaignId: string;
  status: InviteRewardStatus;
  availableAt: Date;
  couponId?: string;
}

export type WithdrawalStatus = 'requested' | 'paid' | 'rejected';

export interface Withdrawal {
  _id: string;
  openid: string;
  amount: number;
  commissionIds: string[];
  /** clawed-back commissions this request deducted */
  clawbackIds: string[];
  status: WithdrawalStatus;
  requestedAt: Date;
  decidedAt?: Date;
  decidedBy?: string;
  note?: string;
}

/** The commission rate (%) of a course under `settings`. */
export const rateFor = (settings: Pick<DistributionSettings, 'rate' | 'courseRates'>, courseId: string) =>
  settings.courseRates.find((r) => r.courseId === courseId)?.rate ?? settings.rate;

/** A commission of `rate`% on `amount` fen, rounded down to the fen. */
export const commissionOf = (amount: number, rate: number) => Math.floor((amount * rate) / 100);
