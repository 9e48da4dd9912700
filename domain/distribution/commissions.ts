/**
 * Commissions and invitation rewards, moved only inside the transactions that move the money: recorded
 * pending by the payment, reversed (or voided) by a refund, made available (or given) by settleCommissions
 * once the order's refund window has passed with the order still paid.
 */
import { readIfExists, type Database, type Transaction } from '../../server/database';
import type { SettleCommissionsReport } from '../contracts/distribution';
import { issueCoupon } from '../coupons/claim';
import { CAMPAIGNS, type Campaign } from '../coupons/model';
import { ORDERS, type Order } from '../orders/model';
import { COMMISSIONS, commissionOf, INVITE_REWARDS, type Commission, type InviteReward } from './model';

const DAY_MS = 86_400_000;
/** An order without a refund rule of its own (a membership) is refundable this long. */
const DEFAULT_REFUND_DAYS = 7;

/** When the order's refund window ends: what a learner could still take back until then. */
const refundWindowEnd = (order: Pick<Order, 'item'>, paidAt: Date) =>
  new Date(paidAt.getTime() + (order.item.kind === 'membership' ? DEFAULT_REFUND_DAYS : (order.item.refundRule?.withinDays ?? DEFAULT_REFUND_DAYS)) * DAY_MS);

/**
 * The paid order's commission (pending) and invitation reward, in the payment's transaction: an insert each
 * (no read: the order is paid once, and one reward per invitee is a document id of its own, read first).
 */
export async function recordReferral(tx: Transaction, order: Order, now: Date): Promise<void> {
  const { referral } = order;
  if (!referral || order.item.kind === 'membership') return;
  const availableAt = refundWindowEnd(order, now);
  const amount = commissionOf(order.amount, referral.rate);
  if (amount > 0) {
    const commission: Omit<Commission, '_id'> = {
      referrer: referral.referrer,
      buyer: order.openid,
      courseId: order.item.courseId,
      title: order.item.title,
      orderAmount: order.amount,
      rate: referral.rate,
      amount,
      status: 'pending',
      paidAt: now,
      availableAt,
    };
    await tx.collection<Omit<Commission, '_id'>>(COMMISSIONS).doc(order._id).set({ data: commission });
  }
  if (referral.inviteCampaignId && !(await readIfExists(tx, INVITE_REWARDS, order.openid))) {
    const reward: Omit<InviteReward, '_id'> = { inviter: referral.referrer, orderId: order._id, campaignId: referral.inviteCampaignId, status: 'pending', availableAt };
    await tx.collection<Omit<InviteReward, '_id'>>(INVITE_REWARDS).doc(order.openid).set({ data: reward });
  }
}

/**
 * A completed refund undoes the order's referral, in the refund's transaction: its commission is reversed
 * (one already requested or paid out is marked clawed back: the promoter's next withdrawal bears it), and
 * an invitation reward not yet given is voided. Nothing happens for an order without a referral.
 */
export async function reverseReferral(tx: Transaction, order: Order, now: Date): Promise<void> {
  if (!order.referral) return;
  const commission = order.referral.rate > 0 ? await readIfExists<Omit<Commission, '_id'>>(tx, COMMISSIONS, order._id) : null;
  if (commission && commission.status !== 'reversed') {
    const paidOut = commission.status === 'requested' || commission.status === 'withdrawn';
    await tx.collection(COMMISSIONS).doc(order._id).update({ data: { status: 'reversed', reversedAt: now, ...(paidOut ? { clawedBack: true, clawbackWithdrawalId: '' } : {}) } });
  }
  if (!order.referral.inviteCampaignId) return;
  const reward = await readIfExists<Omit<InviteReward, '_id'>>(tx, INVITE_REWARDS, order.openid);
  if (reward?.orderId === order._id && reward.status === 'pending') await tx.collection(INVITE_REWARDS).doc(order.openid).update({ data: { status: 'void' } });
}

/** Commissions and rewards settled per run, oldest first; what does not fit waits for the next run. */
export const SETTLE_COMMISSIONS_PAGE = 100;

/** The statuses of the orders with these ids: one request. */
async function orderStatuses(db: Database, ids: string[]): Promise<Map<string, Order['status']>> {
  if (!ids.length) return new Map();
  const { data } = await db.collection<Order>(ORDERS).where({ _id: db.command.in(ids) }).field({ status: true }).limit(ids.length).get();
  return new Map(data.map((o) => [o._id, o.status]));
}

/**
 * Gives the inviter a coupon of the reward's campaign, in a transaction on the reward and the campaign: once
 * (the reward is re-read pending), while the campaign has stock (otherwise the reward is void: the school
 * ran out). The coupon's id names the invitee, so it is given once whatever the inviter's claim limit.
 */
async function giveReward(db: Database, invitee: string, now: Date): Promise<'rewarded' | 'void' | 'skipped'> {
  return db.runTransaction(async (tx) => {
    const reward = await readIfExists<Omit<InviteReward, '_id'>>(tx, INVITE_REWARDS, invitee);
    if (reward?.status !== 'pending') return 'skipped';
    const campaign = await readIfExists<Omit<Campaign, '_id'>>(tx, CAMPAIGNS, reward.campaignId);
    if (!campaign || campaign.claimed >= campaign.totalStock) {
      await tx.collection(INVITE_REWARDS).doc(invitee).update({ data: { status: 'void' } });
      return 'void';
    }
    const coupon = await issueCoupon(tx, { ...campaign, _id: reward.campaignId }, reward.inviter, `${reward.campaignId}:${reward.inviter}:invite-${invitee}`, now);
    await tx.collection(INVITE_REWARDS).doc(invitee).update({ data: { status: 'rewarded', couponId: coupon._id } });
    return 'rewarded';
  });
}

/**
 * The timer's pass: pending commissions past their refund window whose order is still paid become
 * available (one conditional update, so a refund reversing one meanwhile wins); invitation rewards likewise
 * are given. An order with a refund under way waits for the next run (its refund decides); a refunded one
 * was reversed by its refund.
 */
export async function settleCommissions(db: Database, now: Date): Promise<SettleCommissionsReport> {
  const _ = db.command;
  const due = { status: 'pending', availableAt: _.lte(now) };
  const [{ data: commissions }, { data: rewards }] = await Promise.all([
    db.collection<Commission>(COMMISSIONS).where(due).orderBy('availableAt', 'asc').limit(SETTLE_COMMISSIONS_PAGE).field({ _id: true }).get(),
    db.collection<InviteReward>(INVITE_REWARDS).where(due).orderBy('availableAt', 'asc').limit(SETTLE_COMMISSIONS_PAGE).field({ orderId: true }).get(),
  ]);
  const statuses = await orderStatuses(db, [...commissions.map((c) => c._id), ...rewards.map((r) => r.orderId)]);
  const kept = commissions.filter((c) => statuses.get(c._id) === 'paid').map((c) => c._id);
  const report: SettleCommissionsReport = { available: 0, rewarded: 0, voided: 0 };
  if (kept.length) report.available = (await db.collection(COMMISSIONS).where({ _id: _.in(kept), status: 'pending' }).update({ data: { status: 'available' } })).stats.updated;
  for (const reward of rewards.filter((r) => statuses.get(r.orderId) === 'paid')) {
    const outcome = await giveReward(db, reward._id, now);
    if (outcome === 'rewarded') report.rewarded++;
    if (outcome === 'void') report.voided++;
  }
  return report;
}
