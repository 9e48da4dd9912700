/**
 * A learner claims coupons and lists what they hold.
 *
 * Races: the campaign's `claimed` counter and the learner's coupon ids are read and written in one
 * transaction. Transactions lock each document they read until commit (README, "Transactions"), so
 * claims of one campaign queue on its document: stock is checked and taken by one claim at a time and
 * never goes below zero. The learner's n-th coupon is a document id of its own (`<campaign>:<openid>:<n>`,
 * n <= perLearnerLimit), locked when read even while absent, so two claims by one learner cannot both
 * take slot n, and no slot beyond the limit exists.
 */
import { readIfExists, type Database, type Transaction } from '../../server/database';
import type { ClaimCouponResponse, CouponView, listMyCouponsRequest, ListMyCouponsResponse } from '../contracts/coupons';
import type * as z from '../contracts/schema';
import { DomainError } from '../errors';
import { ORDERS, type Order, type OrderStatus } from '../orders/model';
import { CAMPAIGNS, COUPONS, couponId, effectiveStatus, expiryOf, type Campaign, type Coupon, type CouponStatus } from './model';

/** Orders that were paid for: their learner has bought something (a refund does not make them new again). */
const PAID_STATUSES: OrderStatus[] = ['paid', 'refundRequested', 'refunding', 'refunded'];

/** Whether the learner has never paid for anything: one request. */
export async function isNewLearner(db: Database, openid: string): Promise<boolean> {
  const paid = await db.collection<Order>(ORDERS).where({ openid, status: db.command.in(PAID_STATUSES) }).field({ _id: true }).limit(1).get();
  return paid.data.length === 0;
}

/** Why a claim of this campaign is refused now, whoever claims; null when it may be claimed. */
export function claimRefusal(campaign: Omit<Campaign, '_id'> | null, now: Date): string | null {
  if (!campaign) return '优惠券不存在';
  if (campaign.status === 'paused') return '优惠券已暂停发放';
  if (campaign.validFrom && now < campaign.validFrom) return '优惠券尚未开始领取';
  if (campaign.validUntil && now >= campaign.validUntil) return '优惠券已过期';
  if (campaign.claimed >= campaign.totalStock) return '优惠券已领完';
  return null;
}

const refuse = (message: string) => new DomainError(message === '优惠券不存在' ? 'NOT_FOUND' : 'CONFLICT', message);

export const couponView = (coupon: Coupon, now: Date): CouponView => ({
  id: coupon._id,
  campaignId: coupon.campaignId,
  title: coupon.title,
  rule: coupon.rule,
  scope: coupon.scope,
  status: effectiveStatus(coupon, now),
  claimedAt: coupon.claimedAt,
  expiresAt: coupon.expiresAt,
});

/** The first of the learner's coupon slots 1..limit still free (read, and so locked, in order), or null when all are taken. */
async function freeSlot(tx: Transaction, campaignId: string, openid: string, limit: number): Promise<number | null> {
  for (let n = 1; n <= limit; n++) {
    if (!(await readIfExists<Coupon>(tx, COUPONS, couponId(campaignId, openid, n)))) return n;
  }
  return null;
}

/**
 * Retries of a claim's transaction after a conflict (the callback only reads and writes: safe to run
 * again). Here claims queue on the campaign's lock and conflict only after a 5 s wait; CloudBase fails the
 * loser of a write race at once, so a burst of claims needs more than the SDK's 3. claimCoupon's timeout
 * (30 s, config.json) outlasts 5 waits: a function killed while its transaction waits in the queue would be
 * handed the campaign's lock dead and keep it until the transaction expires (30 s here), stalling every claim.
 */
const CLAIM_RETRIES = 4;

const isTransactionConflict = (e: unknown) => {
  const error = e as { code?: unknown; errCode?: unknown; message?: unknown } | null;
  return [error?.code, error?.errCode, error?.message].some((v) => String(v ?? '').includes('TRANSACTION_CONFLICT'));
};

/**
 * Claims one coupon of the campaign. A plain read refuses first what is refused anyway (out of stock,
 * paused, expired) without queueing on the campaign's lock; the transaction decides.
 *
 * Requests: the campaign; the learner's paid orders (new-learner campaigns only); a transaction: begin,
 * the learner's slots up to the first free one, the campaign, its update and the coupon at once, commit
 * (7 for a learner's first coupon, any campaign without newLearnersOnly).
 *
 * "New learner" is checked before the transaction (a transaction runs no query): a purchase paid in the
 * same instant as the claim may still let it through.
 */
export async function claimCoupon(db: Database, openid: string, campaignId: string, now: Date): Promise<ClaimCouponResponse> {
  const seen = (await db.collection<Campaign>(CAMPAIGNS).where({ _id: campaignId }).get()).data[0] ?? null;
  const early = claimRefusal(seen, now);
  if (early) throw refuse(early);
  if (seen!.newLearnersOnly && !(await isNewLearner(db, openid))) throw new DomainError('CONFLICT', '该优惠券仅限新学员领取');
  try {
    const coupon = await db.runTransaction(async (tx) => {
      // The learner's slots first, the campaign last: its lock, which every claim waits for, is held for
      // the fewest round trips, and locks are always taken in this order (no deadlock).
      const slot = await freeSlot(tx, campaignId, openid, seen!.perLearnerLimit);
      // Every slot taken: refused without queueing on the campaign (a limit raised since then takes a new claim).
      if (slot === null) throw new DomainError('CONFLICT', `每人限领 ${seen!.perLearnerLimit} 张`);
      const campaign = await readIfExists<Omit<Campaign, '_id'>>(tx, CAMPAIGNS, campaignId);
      const why = claimRefusal(campaign, now);
      if (why) throw refuse(why);
      const limit = campaign!.perLearnerLimit;
      // The limit as the campaign says now (it may have been edited since the first read).
      if (slot > limit) throw new DomainError('CONFLICT', `每人限领 ${limit} 张`);
      return issueCoupon(tx, { ...campaign!, _id: campaignId }, openid, couponId(campaignId, openid, slot), now);
    }, CLAIM_RETRIES);
    return { coupon: couponView(coupon, now) };
  } catch (e) {
    // Retries exhausted (in the cloud a lost write race fails instead of queueing): the learner may try again.
    if (isTransactionConflict(e)) throw new DomainError('CONFLICT', '领取的人太多了，请稍后再试');
    throw e;
  }
}

/**
 * Gives `openid` a coupon of `campaign` (read in the caller's transaction, its stock checked) under `id`:
 * a snapshot of the campaign's rule, and the campaign's stock taken, both written at once (one round trip
 * less while every other claim waits for the campaign's lock).
 */
export async function issueCoupon(tx: Transaction, campaign: Campaign, openid: string, id: string, now: Date): Promise<Coupon> {
  const created: Coupon = {
    _id: id,
    campaignId: campaign._id,
    openid,
    title: campaign.title,
    rule: campaign.rule,
    scope: campaign.scope,
    status: 'available',
    claimedAt: now,
    expiresAt: expiryOf(campaign, now),
    returnOnRefund: campaign.returnOnRefund ?? false,
  };
  const { _id, ...data } = created;
  await Promise.all([
    tx.collection(CAMPAIGNS).doc(campaign._id).update({ data: { claimed: campaign.claimed + 1 } }),
    tx.collection<Omit<Coupon, '_id'>>(COUPONS).doc(_id).set({ data }),
  ]);
  return created;
}

/** How many coupons `listMyCoupons` answers: the newest, far more than a learner holds in practice. */
export const MAX_LISTED = 100;
/** Usable coupons first, then locked, used and expired ones. */
const ORDER_OF: Record<CouponStatus, number> = { available: 0, locked: 1, used: 2, expired: 3 };

/**
 * The learner's coupons (of one status, as the learner sees it): usable first, newest first within each.
 * One request on `openid_claimedAt`; expiry is computed, so the status filter applies after the read.
 */
export async function listMyCoupons(db: Database, openid: string, req: z.output<typeof listMyCouponsRequest>, now: Date): Promise<ListMyCouponsResponse> {
  const { data } = await db.collection<Coupon>(COUPONS).where({ openid }).orderBy('claimedAt', 'desc').limit(MAX_LISTED).get();
  const coupons = data
    .map((c) => couponView(c, now))
    .filter((c) => !req.status || c.status === req.status)
    // Array.prototype.sort is stable: newest first stays within each status.
    .sort((a, b) => ORDER_OF[a.status] - ORDER_OF[b.status]);
  return { coupons };
}
