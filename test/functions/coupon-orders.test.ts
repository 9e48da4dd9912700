import { randomUUID } from 'node:crypto';
import type { GetCourseCouponsResponse, ListMyCouponsResponse, SaveCouponCampaignRequest } from '../../domain/contracts/coupons';
import type { CreateOrderResponse } from '../../domain/contracts/orders';
import type { Coupon } from '../../domain/coupons/model';
import { call, completeRefund, courseEntitlementOf, ok, orderOf, pay, requestRefund, review } from '../support/commerce';
import { claimCouponOf, createCampaign } from '../support/coupons';
import { connectSdk, uniqueName } from '../support/sdk';

/**
 * Coupons on orders (issue 12): createOrder prices the coupon on the server as one more pricing rule, locks
 * it with the order, uses it with the payment, returns it when the order closes unpaid and, when its
 * campaign says so, when the order is refunded. Through the gateway and the real SDK.
 */
const db = () => connectSdk().database();

/** ¥9.9 for anyone without a membership; refundable within 7 days. */
const COURSE = 'excel-basics';
const PRICE = 990;
const OTHER = 'talk-meeting';

const learner = () => uniqueName('o-cpo');

/** A campaign of ¥3 off unless `over` says otherwise. */
const campaignOf = (over: Partial<SaveCouponCampaignRequest> = {}) => createCampaign({ rule: { kind: 'amount', amountOff: 300 }, ...over });

/** A learner holding one coupon of a new campaign; answers the coupon's id. */
async function couponFor(openid: string, over: Partial<SaveCouponCampaignRequest> = {}): Promise<string> {
  return claimCouponOf(openid, (await campaignOf(over)).id);
}

const order = (openid: string, data: Record<string, unknown>) => call<CreateOrderResponse>(openid, 'createOrder', { courseId: COURSE, clientRequestKey: randomUUID(), ...data });
const orderOk = async (openid: string, data: Record<string, unknown>) => {
  const { reply, dbRequests } = await order(openid, data);
  if (!reply.ok) throw new Error(`createOrder failed: ${reply.code} ${reply.message}`);
  return { order: reply.data.order, dbRequests };
};
const couponOf = async (id: string) => (await db().collection<Coupon>('coupons').doc(id).get()).data;

describe('createOrder with a coupon', () => {
  it('takes the coupon off the price on the server, locks it, and uses it with the payment', async () => {
    const me = learner();
    const couponId = await couponFor(me);

    const { order: placed, dbRequests } = await orderOk(me, { couponId });
    expect(placed).toMatchObject({ amount: PRICE - 300, originalAmount: 4900, coupon: { id: couponId, discount: 300 }, status: 'pending' });
    // The course; the entitlements, the coupon and the referral binding at once; begin, the order's number, the coupon, the lock and the insert at once, commit.
    expect(dbRequests).toBe(10);
    expect(await couponOf(couponId)).toMatchObject({ status: 'locked', orderId: placed.id });

    await pay(placed.id);
    expect((await orderOf(placed.id)).status).toBe('paid');
    expect(await courseEntitlementOf(me, COURSE)).toMatchObject({ status: 'active' });
    expect(await couponOf(couponId)).toMatchObject({ status: 'used', orderId: placed.id });
    const mine = (await ok<ListMyCouponsResponse>(me, 'listMyCoupons')).data.coupons;
    expect(mine.map((c) => [c.id, c.status])).toEqual([[couponId, 'used']]);

    // A used coupon cannot be used again (another course of the school).
    expect((await order(me, { courseId: OTHER, couponId })).reply).toEqual({ ok: false, code: 'CONFLICT', message: '这张优惠券不能使用：优惠券已使用' });
  });

  it('computes percentages rounded down within their cap, never charging less than 1 fen', async () => {
    const me = learner();
    const percent = await couponFor(me, { rule: { kind: 'percent', percentOff: 15, capAmount: 100 } });
    expect((await orderOk(me, { couponId: percent })).order).toMatchObject({ amount: PRICE - 100, coupon: { discount: 100 } });

    const other = learner();
    const uncapped = await couponFor(other, { rule: { kind: 'percent', percentOff: 15, capAmount: 10_000 } });
    // 15% of 990 fen is 148.5: 148 off.
    expect((await orderOk(other, { couponId: uncapped })).order).toMatchObject({ amount: PRICE - 148, coupon: { discount: 148 } });

    const third = learner();
    const large = await couponFor(third, { rule: { kind: 'amount', amountOff: 5000 } });
    expect((await orderOk(third, { couponId: large })).order).toMatchObject({ amount: 1, coupon: { discount: PRICE - 1 } });
  });

  it('picks the coupon taking off most when asked, skipping the ones that cannot be used, and charges the price when none can', async () => {
    const me = learner();
    await couponFor(me, { rule: { kind: 'amount', amountOff: 200 } });
    const better = await couponFor(me, { rule: { kind: 'threshold', minAmount: 900, amountOff: 400 } });
    await couponFor(me, { rule: { kind: 'threshold', minAmount: 1000, amountOff: 800 } });
    await couponFor(me, { rule: { kind: 'amount', amountOff: 900 }, scope: { courseIds: [OTHER] } });

    const { data } = await ok<GetCourseCouponsResponse>(me, 'getCourseCoupons', { courseId: COURSE });
    expect(data.amount).toBe(PRICE);
    expect(data.best).toBe(better);
    expect(data.coupons.map((c) => [c.discount, c.payAmount, c.unusable ?? null])).toEqual([
      [400, 590, null],
      [200, 790, null],
      [0, 990, '满¥10可用'],
    ]);

    expect((await orderOk(me, { bestCoupon: true })).order).toMatchObject({ amount: PRICE - 400, coupon: { id: better, discount: 400 } });

    const none = learner();
    await couponFor(none, { rule: { kind: 'threshold', minAmount: 1000, amountOff: 800 } });
    const plain = (await orderOk(none, { bestCoupon: true })).order;
    expect(plain.amount).toBe(PRICE);
    expect(plain.coupon).toBeUndefined();
  });

  it('refuses a coupon that is not the learner’s, not for this course, or on a gift, with a clear message', async () => {
    const me = learner();
    const theirs = await couponFor(learner());
    expect((await order(me, { couponId: theirs })).reply).toEqual({ ok: false, code: 'NOT_FOUND', message: '优惠券不存在' });

    const scoped = await couponFor(me, { scope: { courseIds: [OTHER] } });
    expect((await order(me, { couponId: scoped })).reply).toEqual({ ok: false, code: 'CONFLICT', message: '这张优惠券不能使用：不适用于这门课程' });

    const gift = await order(me, { couponId: scoped, gift: true });
    expect(gift.reply).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
    expect(!gift.reply.ok && gift.reply.message).toContain('优惠券仅可用于为自己购买课程');
    expect(await couponOf(scoped)).toMatchObject({ status: 'available' });
  });
});

describe('a coupon returns', () => {
  it('when its order is cancelled unpaid, usable at once on a new order', async () => {
    const me = learner();
    const couponId = await couponFor(me);
    const first = (await orderOk(me, { couponId })).order;

    await ok(me, 'cancelOrder', { orderId: first.id });
    expect(await couponOf(couponId)).toMatchObject({ status: 'available' });
    const second = (await orderOk(me, { couponId })).order;
    expect(second).toMatchObject({ amount: PRICE - 300, coupon: { id: couponId } });
  });

  it('from an unpaid order the learner left: a new order takes it over and the old one closes', async () => {
    const me = learner();
    const couponId = await couponFor(me);
    const left = (await orderOk(me, { couponId })).order;

    const taking = (await orderOk(me, { couponId })).order;
    expect((await orderOf(left.id)).status).toBe('closed');
    expect(await couponOf(couponId)).toMatchObject({ status: 'locked', orderId: taking.id });
  });

  it('to exactly one order when the learner orders with it twice at once', async () => {
    const me = learner();
    const couponId = await couponFor(me);
    const replies = await Promise.all([order(me, { couponId }), order(me, { couponId })]);
    const placed = replies.map((r) => r.reply).filter((r) => r.ok);
    expect(placed.length).toBeGreaterThanOrEqual(1);

    const orders = await Promise.all(placed.map((r) => orderOf(r.ok ? r.data.order.id : '')));
    const pending = orders.filter((o) => o.status === 'pending');
    expect(pending).toHaveLength(1);
    expect(await couponOf(couponId)).toMatchObject({ status: 'locked', orderId: pending[0]!._id });
  });

  it('when the order is refunded, only if its campaign returns coupons on refunds', async () => {
    const kept = learner();
    const keptCoupon = await couponFor(kept);
    const returned = learner();
    const returnedCoupon = await couponFor(returned, { returnOnRefund: true });

    for (const [openid, couponId] of [
      [kept, keptCoupon],
      [returned, returnedCoupon],
    ] as const) {
      const placed = (await orderOk(openid, { couponId })).order;
      await pay(placed.id);
      expect((await requestRefund(openid, placed.id)).reply.ok).toBe(true);
      await review('support', placed.id, true);
      await completeRefund(placed.id);
      expect((await orderOf(placed.id)).status).toBe('refunded');
      expect(await courseEntitlementOf(openid, COURSE)).toMatchObject({ status: 'revoked' });
    }
    expect(await couponOf(keptCoupon)).toMatchObject({ status: 'used' });
    expect(await couponOf(returnedCoupon)).toMatchObject({ status: 'available' });
    expect((await orderOk(returned, { couponId: returnedCoupon })).order).toMatchObject({ amount: PRICE - 300 });
  });
});

describe('getCourseCoupons', () => {
  it('lists what the learner may claim for the course, until they hold their limit', async () => {
    const me = learner();
    const school = await campaignOf({ perLearnerLimit: 2 });
    const forCourse = await campaignOf({ scope: { courseIds: [COURSE] } });
    const elsewhere = await campaignOf({ scope: { courseIds: [OTHER] } });
    const paused = await campaignOf({ status: 'paused' });
    const mine = (ids: string[]) => ids.filter((id) => [school.id, forCourse.id, elsewhere.id, paused.id].includes(id));

    const before = (await ok<GetCourseCouponsResponse>(me, 'getCourseCoupons', { courseId: COURSE })).data;
    expect(mine(before.claimable.map((c) => c.id)).sort()).toEqual([school.id, forCourse.id].sort());

    await ok(me, 'claimCoupon', { campaignId: forCourse.id });
    await ok(me, 'claimCoupon', { campaignId: school.id });
    const after = (await ok<GetCourseCouponsResponse>(me, 'getCourseCoupons', { courseId: COURSE })).data;
    expect(mine(after.claimable.map((c) => c.id))).toEqual([school.id]);
    expect(after.claimable.find((c) => c.id === school.id)).toMatchObject({ held: 1, perLearnerLimit: 2 });
    expect(after.coupons.map((c) => c.campaignId).sort()).toEqual([school.id, forCourse.id].sort());
  });

  it('offers nothing for a course the learner may already study', async () => {
    const me = learner();
    await couponFor(me);
    const placed = (await orderOk(me, { bestCoupon: true })).order;
    await pay(placed.id);
    expect((await ok<GetCourseCouponsResponse>(me, 'getCourseCoupons', { courseId: COURSE })).data).toEqual({ amount: 0, claimable: [], coupons: [], best: null });
  });
});
