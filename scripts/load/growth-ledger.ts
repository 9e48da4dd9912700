/**
 * The growth phase's ledger checks (issue 12), read from the ledgers only, like ledger.ts: the campaign
 * and its coupons, the groups and their members' orders and entitlements, the commissions, through the
 * admin SDK; the trades and refunds through the sandbox's ledger. Every check holds over the plain
 * learners' orders and the group members' together.
 */
import type { Entitlement } from '../../domain/access/entitlements';
import type { Campaign, Coupon } from '../../domain/coupons/model';
import { commissionOf, type Commission } from '../../domain/distribution/model';
import type { Group } from '../../domain/groups/model';
import type { Order } from '../../domain/orders/model';
import type { Database } from '../../server/database';
import type { PayRefund, PayTrade } from '../bench/client';
import { int } from '../bench/format';
import type { GrowthPlan } from './growth';
import type { Check } from './ledger';

export const COUPON_STOCK_CHECK = 'coupons: claimed = coupons of the campaign ≤ its stock, none over a learner’s limit';
export const COUPON_USE_CHECK = 'coupons: each paid order’s coupon used by that order alone, at the price the sandbox took';
export const SEATS_CHECK = 'groups: seats ≤ size; a complete group granted each member through their own order, an open or failed one nobody';
export const GROUP_ORDERS_CHECK = 'group orders: each seated and paid, or refunded in full';
export const MONEY_ALL_CHECK = 'money in = money refunded + money kept (paid orders), learners and group members together';
export const COMMISSIONS_CHECK = 'commissions: floor(amount × rate / 100) for each paid referred order, reversed iff refunded, none otherwise';
export const GROWTH_CHECKS = [COUPON_STOCK_CHECK, COUPON_USE_CHECK, SEATS_CHECK, GROUP_ORDERS_CHECK, MONEY_ALL_CHECK, COMMISSIONS_CHECK];

/** What the growth phase left, besides the plain learners' snapshot (ledger.ts). */
export interface GrowthSnapshot {
  plan: GrowthPlan;
  campaign: Campaign | undefined;
  coupons: Coupon[];
  /** the group members' orders, entitlements, trades and refunds */
  groupOrders: Order[];
  groupEntitlements: Entitlement[];
  groupTrades: PayTrade[];
  groupRefunds: PayRefund[];
  groups: Group[];
  /** of every buyer of the run */
  commissions: Commission[];
}

type Reader = <T>(collection: string, field: string, values: string[]) => Promise<T[]>;

/** Reads the growth ledgers; `openids` are the plain learners (their orders are in the main snapshot). */
export async function readGrowthLedger(
  db: Database,
  byField: Reader,
  pay: { trades: PayTrade[]; refunds: PayRefund[] },
  plan: GrowthPlan,
  openids: string[],
): Promise<GrowthSnapshot> {
  const members = plan.groupMembers;
  const [campaigns, coupons, groupOrders, groupEntitlements, commissions] = await Promise.all([
    db.collection<Campaign>('couponCampaigns').where({ _id: plan.campaignId }).get(),
    byField<Coupon>('coupons', 'campaignId', [plan.campaignId]),
    byField<Order>('orders', 'openid', members),
    byField<Entitlement>('entitlements', 'openid', members),
    byField<Commission>('commissions', 'buyer', [...openids, ...members]),
  ]);
  const groupIds = [...new Set(groupOrders.flatMap((o) => (o.group ? [o.group.id] : [])))];
  const memberSet = new Set(members);
  const groupTrades = pay.trades.filter((t) => memberSet.has(t.openid));
  const tradeNos = new Set(groupTrades.map((t) => t.outTradeNo));
  return {
    plan,
    campaign: campaigns.data[0],
    coupons,
    groupOrders,
    groupEntitlements,
    groupTrades,
    groupRefunds: pay.refunds.filter((r) => tradeNos.has(r.outTradeNo)),
    groups: await byField<Group>('groups', '_id', groupIds),
    commissions,
  };
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const wasPaid = (o: Order) => o.history.some((h) => h.to === 'paid');
/** The first few ids of a list of offenders, for the detail. */
const some = (ids: string[]) => (ids.length ? `; e.g. ${ids.slice(0, 3).join(', ')}` : '');

/**
 * The growth checks over the plain learners' orders, trades and refunds (`plain`) and the growth snapshot.
 * Each names what it found wrong; none holds by construction: spoil a coupon, a seat, an order or a
 * commission and its check fails (test/functions/load.test.ts).
 */
export function checkGrowth(plain: { orders: Order[]; trades: PayTrade[]; refunds: PayRefund[] }, g: GrowthSnapshot): Check[] {
  const orders = [...plain.orders, ...g.groupOrders];
  const trades = [...plain.trades, ...g.groupTrades];
  const refunds = [...plain.refunds, ...g.groupRefunds];
  const tradeOf = new Map(trades.map((t) => [t.outTradeNo, t]));
  const refundedFor = (orderId: string) => sum(refunds.filter((r) => r.outTradeNo === orderId && r.status === 'SUCCESS').map((r) => r.refundFee));

  // Coupons: the campaign's counter, its stock and each learner's limit.
  const campaign = g.campaign;
  const perLearner = new Map<string, number>();
  for (const c of g.coupons) perLearner.set(c.openid, (perLearner.get(c.openid) ?? 0) + 1);
  const overLimit = [...perLearner].filter(([, n]) => n > (campaign?.perLearnerLimit ?? 0)).map(([openid]) => openid);
  const stockOk = !!campaign && campaign.claimed === g.coupons.length && g.coupons.length <= campaign.totalStock && overLimit.length === 0;

  // Coupons on orders: used by the paid order that names it, at the sandbox's price, by no other; none left locked.
  const couponById = new Map(g.coupons.map((c) => [c._id, c]));
  const paidWithCoupon = orders.filter((o) => o.coupon && o.status === 'paid');
  const badUse = paidWithCoupon
    .filter((o) => {
      const c = couponById.get(o.coupon!.id);
      const trade = tradeOf.get(o._id);
      return c?.status !== 'used' || c.orderId !== o._id || c.campaignId !== o.coupon!.campaignId || trade?.state !== 'SUCCESS' || trade.totalFee !== o.amount || o.payment?.amount !== o.amount;
    })
    .map((o) => o._id);
  const usesPerCoupon = new Map<string, number>();
  for (const o of paidWithCoupon) usesPerCoupon.set(o.coupon!.id, (usesPerCoupon.get(o.coupon!.id) ?? 0) + 1);
  const twice = [...usesPerCoupon].filter(([, n]) => n > 1).map(([id]) => id);
  const paidById = new Map(paidWithCoupon.map((o) => [o._id, o]));
  const strayUsed = g.coupons.filter((c) => c.status === 'used' && paidById.get(c.orderId ?? '')?.coupon?.id !== c._id).map((c) => c._id);
  const locked = g.coupons.filter((c) => c.status === 'locked').map((c) => c._id);

  // Seats and grants.
  const activeGrant = new Map<string, Entitlement>();
  for (const e of g.groupEntitlements) if (e.status === 'active' && e.courseId) activeGrant.set(`${e.openid} ${e.courseId}`, e);
  const badGroups = g.groups
    .filter((group) => {
      const members = new Set(group.seats.map((s) => s.openid));
      if (group.seats.length > group.size || members.size !== group.seats.length) return true;
      if (group.status === 'complete') {
        return (
          group.seats.length !== group.size ||
          group.seats.some((s) => {
            const e = activeGrant.get(`${s.openid} ${group.courseId}`);
            return e?.source?.kind !== 'order' || e.source.orderId !== s.orderId;
          })
        );
      }
      return group.seats.some((s) => activeGrant.has(`${s.openid} ${group.courseId}`));
    })
    .map((group) => group._id);

  // Group orders: seated and paid, or refunded in full.
  const seatOf = new Map(g.groups.flatMap((group) => group.seats.map((s) => [s.orderId, group._id] as const)));
  const badGroupOrders = g.groupOrders
    .filter((o) => {
      const trade = tradeOf.get(o._id);
      if (!o.group || trade?.state !== 'SUCCESS' || trade.totalFee !== o.amount) return true;
      if (o.status === 'paid') return seatOf.get(o._id) !== o.group.id || refundedFor(o._id) !== 0;
      if (o.status === 'refunded') return seatOf.has(o._id) || refundedFor(o._id) !== trade.totalFee;
      return true;
    })
    .map((o) => o._id);
  const byStatus = (status: Order['status']) => g.groupOrders.filter((o) => o.status === status).length;

  // Money, everyone together: what the sandbox took = what it gave back + what the paid orders kept.
  const moneyIn = sum(trades.filter((t) => t.state === 'SUCCESS').map((t) => t.totalFee));
  const refunded = sum(refunds.filter((r) => r.status === 'SUCCESS').map((r) => r.refundFee));
  const kept = sum(orders.filter((o) => o.status === 'paid').map((o) => o.payment?.amount ?? 0));

  // Commissions: the bound buyers' orders carry their referral; each paid one earns floor(amount x rate / 100).
  const commissionById = new Map(g.commissions.map((c) => [c._id, c]));
  const orderIds = new Set(orders.map((o) => o._id));
  const badReferral = orders
    .filter((o) => {
      const referrer = g.plan.referrerOf[o.openid];
      return referrer ? o.referral?.referrer !== referrer || o.referral.rate !== g.plan.rate : !!o.referral;
    })
    .map((o) => o._id);
  const badCommission = orders
    .filter((o) => {
      const c = commissionById.get(o._id);
      const rate = o.referral?.rate ?? 0;
      const owed = rate > 0 && wasPaid(o) ? commissionOf(o.amount, rate) : 0;
      if (owed === 0) return c !== undefined;
      const status = o.status === 'paid' ? 'pending' : o.status === 'refunded' ? 'reversed' : undefined;
      return c?.amount !== owed || c.status !== status || c.referrer !== o.referral!.referrer || c.rate !== rate || c.orderAmount !== o.amount || c.buyer !== o.openid;
    })
    .map((o) => o._id);
  const strayCommissions = g.commissions.filter((c) => !orderIds.has(c._id)).map((c) => c._id);
  const pendingTotal = sum(g.commissions.filter((c) => c.status === 'pending').map((c) => c.amount));
  const owedTotal = sum(orders.filter((o) => o.status === 'paid' && o.referral?.rate).map((o) => commissionOf(o.amount, o.referral!.rate)));

  return [
    {
      name: COUPON_STOCK_CHECK,
      ok: stockOk,
      detail: campaign
        ? `claimed ${int(campaign.claimed)} = ${int(g.coupons.length)} coupons ≤ stock ${int(campaign.totalStock)}; ${int(overLimit.length)} learners over the limit of ${campaign.perLearnerLimit}${some(overLimit)}`
        : `campaign ${g.plan.campaignId} not found`,
    },
    {
      name: COUPON_USE_CHECK,
      ok: badUse.length + twice.length + strayUsed.length + locked.length === 0,
      detail:
        `${int(paidWithCoupon.length)} paid orders with a coupon; ${int(badUse.length)} without their coupon used at the sandbox's price${some(badUse)},` +
        ` ${int(twice.length)} coupons on two paid orders, ${int(strayUsed.length)} used by no paid order of theirs${some(strayUsed)}, ${int(locked.length)} still locked`,
    },
    {
      name: SEATS_CHECK,
      ok: badGroups.length === 0,
      detail:
        `${int(g.groups.length)} groups (${['complete', 'open', 'failed'].map((s) => `${s} ${int(g.groups.filter((x) => x.status === s).length)}`).join(', ')}),` +
        ` ${int(sum(g.groups.map((x) => x.seats.length)))} seats; ${int(badGroups.length)} otherwise${some(badGroups)}`,
    },
    {
      name: GROUP_ORDERS_CHECK,
      ok: badGroupOrders.length === 0,
      detail: `${int(g.groupOrders.length)} group orders: paid ${int(byStatus('paid'))}, refunded ${int(byStatus('refunded'))}; ${int(badGroupOrders.length)} neither seated and paid nor refunded in full${some(badGroupOrders)}`,
    },
    {
      name: MONEY_ALL_CHECK,
      ok: moneyIn === refunded + kept,
      detail: `${int(moneyIn)} fen = ${int(refunded)} + ${int(kept)}`,
    },
    {
      name: COMMISSIONS_CHECK,
      ok: badReferral.length + badCommission.length + strayCommissions.length === 0 && pendingTotal === owedTotal,
      detail:
        `${int(g.commissions.length)} commissions at ${g.plan.rate}%: pending ${int(pendingTotal)} fen = Σ floor(rate × kept) ${int(owedTotal)} fen;` +
        ` ${int(badReferral.length)} orders without their buyer's referral${some(badReferral)}, ${int(badCommission.length)} with a wrong or missing commission${some(badCommission)},` +
        ` ${int(strayCommissions.length)} for no order of the run`,
    },
  ];
}
