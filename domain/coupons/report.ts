/**
 * How a coupon campaign did, for the creator console: its coupons by status and the orders that used them.
 */
import type { Database } from '../../server/database';
import type { getCouponCampaignReportRequest, GetCouponCampaignReportResponse } from '../contracts/coupons';
import type * as z from '../contracts/schema';
import { DomainError } from '../errors';
import { ORDERS, type Order, type OrderStatus } from '../orders/model';
import { campaignView } from './campaigns';
import { CAMPAIGNS, COUPONS, type Campaign, type CouponStatus } from './model';

/** An order in one of these has its coupon taken and its money kept (a refund asked for may still be refused). */
const KEPT: OrderStatus[] = ['paid', 'refundRequested', 'refunding'];

/**
 * Requests, all at once after the campaign: five counts of its coupons (`campaignId_status`), one aggregate
 * summing the kept orders and one count of the refunded (`couponCampaign_status`). The sums are an aggregate
 * (the emulator runs them as CloudBase does) rather than pages of orders read into the function.
 */
export async function getCouponCampaignReport(db: Database, req: z.output<typeof getCouponCampaignReportRequest>, now: Date): Promise<GetCouponCampaignReportResponse> {
  const _ = db.command;
  const $ = _.aggregate;
  const { data } = await db.collection<Campaign>(CAMPAIGNS).where({ _id: req.campaignId }).get();
  const campaign = data[0];
  if (!campaign) throw new DomainError('NOT_FOUND', '优惠券活动不存在');

  const coupons = (status: CouponStatus, expiresAt?: unknown) =>
    db
      .collection(COUPONS)
      .where({ campaignId: req.campaignId, status, ...(expiresAt ? { expiresAt } : {}) })
      .count()
      .then((r) => r.total);
  const orders = db.collection<Order>(ORDERS);
  const [available, lapsed, locked, used, expired, kept, refundedOrders] = await Promise.all([
    // An available coupon past its expiry is expired, as its holder sees it (effectiveStatus).
    coupons('available', _.gt(now)),
    coupons('available', _.lte(now)),
    coupons('locked'),
    coupons('used'),
    coupons('expired'),
    orders
      .aggregate()
      .match({ 'coupon.campaignId': req.campaignId, status: _.in(KEPT) })
      .group({ _id: null, n: $.sum(1), amount: $.sum('$amount'), discount: $.sum('$coupon.discount') })
      .end()
      .then((r) => r.list[0] as { n: number; amount: number; discount: number } | undefined),
    orders
      .where({ 'coupon.campaignId': req.campaignId, status: 'refunded' })
      .count()
      .then((r) => r.total),
  ]);
  return {
    campaign: campaignView(campaign),
    report: {
      claimed: campaign.claimed,
      available,
      locked,
      used,
      expired: expired + lapsed,
      paidOrders: kept?.n ?? 0,
      paidAmount: kept?.amount ?? 0,
      discountAmount: kept?.discount ?? 0,
      refundedOrders,
    },
  };
}
