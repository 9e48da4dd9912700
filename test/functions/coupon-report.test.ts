import type { GetCouponCampaignReportResponse, SaveCouponCampaignRequest } from '../../domain/contracts/coupons';
import type { CreateOrderResponse } from '../../domain/contracts/orders';
import { completeRefund, ok, pay, requestRefund, review } from '../support/commerce';
import { claimCouponOf, createCampaign as createCampaignAs } from '../support/coupons';
import { connectSdk, uniqueName } from '../support/sdk';
import { callAsStaff, staffOk } from '../support/staff';

/**
 * A coupon campaign's report (getCouponCampaignReport), through the real SDK against the emulator: its coupons
 * by status as learners hold them, and the orders paid and refunded with them.
 */
const db = () => connectSdk().database();

const PAID = 'excel-advanced';
const PRICE = 19900;

/** A campaign of 20 coupons, 3 per learner, saved by the owner. */
const createCampaign = (over: Partial<SaveCouponCampaignRequest> = {}) => createCampaignAs({ title: uniqueName('报表券').slice(0, 20), totalStock: 20, perLearnerLimit: 3, ...over }, 'owner');

const claim = claimCouponOf;
const reportOf = (campaignId: string) => staffOk<GetCouponCampaignReportResponse>('editor', 'getCouponCampaignReport', { campaignId });

describe('getCouponCampaignReport', () => {
  it('counts the coupons claimed by status, an available one past its expiry as expired', async () => {
    const { id } = await createCampaign();
    const [a, b] = [uniqueName('o-report'), uniqueName('o-report')];
    const [a1, a2, a3] = [await claim(a, id), await claim(a, id), await claim(a, id)];
    await claim(b, id);
    // Data setup: one coupon's time ran out (still stored available), one stored expired, one held by an order.
    const coupons = db().collection('coupons');
    await coupons.doc(a1).update({ data: { expiresAt: new Date(Date.now() - 1000) } });
    await coupons.doc(a2).update({ data: { status: 'expired' } });
    await coupons.doc(a3).update({ data: { status: 'locked', orderId: 'O-report-setup' } });

    const { data, dbRequests } = await reportOf(id);
    expect(data.campaign).toMatchObject({ id, claimed: 4, totalStock: 20 });
    expect(data.report).toEqual({ claimed: 4, available: 1, locked: 1, used: 0, expired: 2, paidOrders: 0, paidAmount: 0, discountAmount: 0, refundedOrders: 0 });
    // The staff check; the campaign; five counts of coupons, the orders' aggregate and count, all at once.
    expect(dbRequests).toBe(9);
  });

  it('refuses an unknown campaign, and a learner', async () => {
    expect((await callAsStaff('owner', 'getCouponCampaignReport', { campaignId: 'no-such-campaign' })).reply).toEqual({ ok: false, code: 'NOT_FOUND', message: '优惠券活动不存在' });
    expect((await callAsStaff('support', 'getCouponCampaignReport', { campaignId: 'no-such-campaign' })).reply).toMatchObject({ ok: false, code: 'FORBIDDEN' });
  });

  it('sums the orders paid with its coupons, a refund asked for still kept, and counts the refunded apart', async () => {
    const { id } = await createCampaign({ perLearnerLimit: 1 });
    const other = await createCampaign({ rule: { kind: 'amount', amountOff: 500 } });
    const order = async (openid: string, couponId: string) => (await ok<CreateOrderResponse>(openid, 'createOrder', { courseId: PAID, couponId, clientRequestKey: uniqueName('k') })).data.order;
    const [kept, asking, refunded, pending, elsewhere] = Array.from({ length: 5 }, () => uniqueName('o-report'));

    const buyWith = async (openid: string, campaignId: string) => {
      const placed = await order(openid, await claim(openid, campaignId));
      await pay(placed.id);
      return placed;
    };
    const first = await buyWith(kept, id);
    expect(first).toMatchObject({ amount: PRICE - 1000, coupon: { discount: 1000 } });
    const second = await buyWith(asking, id);
    expect((await requestRefund(asking, second.id)).reply.ok).toBe(true);
    const third = await buyWith(refunded, id);
    expect((await requestRefund(refunded, third.id)).reply.ok).toBe(true);
    await review('support', third.id, true);
    await completeRefund(third.id);
    // Placed but not paid: its coupon is locked, no order counted. Another campaign's order counts for it only.
    await order(pending, await claim(pending, id));
    await buyWith(elsewhere, other.id);

    expect((await reportOf(id)).data.report).toEqual({
      claimed: 4,
      available: 0,
      locked: 1,
      // The refunded order's coupon does not come back: the campaign does not return coupons on refunds.
      used: 3,
      expired: 0,
      paidOrders: 2,
      paidAmount: 2 * (PRICE - 1000),
      discountAmount: 2000,
      refundedOrders: 1,
    });
    expect((await reportOf(other.id)).data.report).toMatchObject({ claimed: 1, used: 1, paidOrders: 1, paidAmount: PRICE - 500, discountAmount: 500, refundedOrders: 0 });
  }, 60_000);
});
