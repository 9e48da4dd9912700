import type { ListMyCoursesResponse } from '../../domain/contracts/catalog';
import type { GetGiftResponse, ListMyGiftsResponse } from '../../domain/contracts/gifts';
import type { ListPlansResponse } from '../../domain/contracts/membership';
import {
  buy,
  call,
  completeRefund,
  courseEntitlementOf,
  failRefund,
  giftOf,
  lessonAccess,
  membershipOf,
  myOrder,
  ok,
  orderOf,
  pay,
  placeOrder,
  requestRefund,
  review,
  setPaidAt,
} from '../support/commerce';
import { connectSdk, uniqueName } from '../support/sdk';

/**
 * Refunds of membership plans and gifts: what the learner may ask for, what staff may refund, and what
 * completing the refund takes back (a membership's days, a gift nobody may claim, a claimed gift's
 * course), through the gateway, the real SDK and cloud pay's sandbox calling the real refundNotify.
 */
const { database } = connectSdk();
const db = database();

const DAY_MS = 86_400_000;
/** In membership (guitar): open to a member, locked otherwise. */
const MEMBER_LESSON = 'guitar-05';
const GIFT_COURSE = 'excel-advanced';
const GIFT_PRICE = 19900;
const GIFT_LESSON = 'excel-advanced-05';

const learner = () => uniqueName('o-rmg');

const claim = (openid: string, giftId: string) => call(openid, 'claimGift', { giftId });

describe('refunding a membership', () => {
  it('is not for the learner to ask: the order page says whom to contact', async () => {
    const member = learner();
    const id = await buy(member, { planId: 'plan-quarter' });
    const page = await myOrder(member, id);
    expect(page.data.order).toMatchObject({ status: 'paid', item: { kind: 'membership', title: '季度会员' } });
    expect(page.data.order.refund).toEqual({ eligible: false, ineligibleReason: '会员服务开通后不支持在线申请退款，如需帮助请联系客服', amount: 6900 });
    // The order only: there is no rule to read.
    expect(page.dbRequests).toBe(1);
    expect((await requestRefund(member, id)).reply).toEqual({ ok: false, code: 'CONFLICT', message: '会员服务开通后不支持在线申请退款，如需帮助请联系客服' });
    expect((await orderOf(id)).status).toBe('paid');
    expect(await lessonAccess(member, MEMBER_LESSON)).toBe('member');
  });

  it('takes back the days of a plan refunded by staff: with nothing left, member-included courses lock again', async () => {
    const staff = 'support';
    const member = learner();
    const id = await buy(member, { planId: 'plan-year' });
    const bought = await membershipOf(member);
    expect(await lessonAccess(member, MEMBER_LESSON)).toBe('member');

    const approved = await review(staff, id, true, '开通后未使用，特批退款');
    expect(approved.data).toMatchObject({ outcome: 'submitted', order: { status: 'refunding', refund: { requestedBy: 'staff', reason: '开通后未使用，特批退款' } } });
    expect(approved.dbRequests).toBe(6);
    // Until the money is back, the member keeps studying.
    expect(await lessonAccess(member, MEMBER_LESSON)).toBe('member');

    const done = await completeRefund(id, 2);
    expect(done.answers).toEqual(['refunded', 'replay', 'replay']);
    console.log(`DB requests of completeRefund, a membership: ${done.dbRequests}`);
    // begin, the order, the membership's read and update, the order's write, commit.
    expect(done.dbRequests).toBe(6);

    const order = await orderOf(id);
    expect(order.status).toBe('refunded');
    const membership = await membershipOf(member);
    expect(membership).toMatchObject({ status: 'revoked', expiresAt: new Date(bought.expiresAt!.getTime() - 365 * DAY_MS) });
    // Taken back by the transaction that refunded the order, once whatever the duplicates.
    expect(membership.revokedAt).toEqual(order.history.at(-1)!.at);
    expect(membership.grants).toEqual([{ ...bought.grants![0], refundedAt: order.history.at(-1)!.at }]);

    expect(await lessonAccess(member, MEMBER_LESSON)).toBe('locked');
    expect((await ok<ListPlansResponse>(member, 'listPlans')).data.membership).toBeNull();
    expect((await ok<ListMyCoursesResponse>(member, 'listMyCourses')).data).not.toHaveProperty('membership');
    expect((await myOrder(member, id)).data.order.refund).toMatchObject({ eligible: false, ineligibleReason: '订单已退款', refundedAt: expect.any(String) });

    // Joining again starts from the payment.
    const before = Date.now();
    await buy(member, { planId: 'plan-quarter' });
    const rejoined = await membershipOf(member);
    expect(rejoined.status).toBe('active');
    expect(rejoined.expiresAt!.getTime()).toBeGreaterThanOrEqual(before + 90 * DAY_MS);
    expect(rejoined.grants!.map((g) => [g.durationDays, g.refundedAt ? 'refunded' : 'kept'])).toEqual([
      [365, 'refunded'],
      [90, 'kept'],
    ]);
    expect(await lessonAccess(member, MEMBER_LESSON)).toBe('member');
  });

  it('keeps the days of a stacked renewal when the first plan is refunded', async () => {
    const staff = 'support';
    const member = learner();
    const year = await buy(member, { planId: 'plan-year' });
    await buy(member, { planId: 'plan-quarter' });
    const stacked = await membershipOf(member);

    await review(staff, year, true);
    await completeRefund(year);
    const kept = await membershipOf(member);
    expect(kept).toMatchObject({ status: 'active', expiresAt: new Date(stacked.expiresAt!.getTime() - 365 * DAY_MS) });
    expect(kept).not.toHaveProperty('revokedAt');
    expect(kept.grants!.map((g) => [g.durationDays, g.refundedAt ? 'refunded' : 'kept'])).toEqual([
      [365, 'refunded'],
      [90, 'kept'],
    ]);
    // About 90 days remain: still a member.
    expect(kept.expiresAt!.getTime()).toBeGreaterThan(Date.now() + 89 * DAY_MS);
    expect(await lessonAccess(member, MEMBER_LESSON)).toBe('member');
    expect((await ok<ListPlansResponse>(member, 'listPlans')).data.membership).toEqual({ expiresAt: kept.expiresAt!.toISOString() });
  });

  it('refunds a plan payment that bought nothing without touching the membership the learner holds', async () => {
    const staff = 'support';
    const member = learner();
    const id = (await placeOrder(member, { planId: 'plan-quarter' })).data.order.id;
    // Meanwhile the school grants the learner a membership for good (from the console), then the plan is paid.
    await db.collection('entitlements').add({ data: { _id: `${member}:membership`, openid: member, kind: 'membership', status: 'active', grantedAt: new Date() } });
    await pay(id);
    expect((await orderOf(id)).status).toBe('needsRefund');
    expect((await myOrder(member, id)).data.order.refund).toMatchObject({ eligible: false, ineligibleReason: '这笔付款未能开通会员，客服会将款项原路退回，无需申请' });

    const approved = await review(staff, id, true);
    expect(approved.data.order.refund).toMatchObject({ requestedBy: 'staff', reason: '这笔付款未能开通会员，原路退回' });
    const done = await completeRefund(id);
    // begin, the order, the membership's read (nothing of it came from this order), the order's write, commit.
    expect(done.dbRequests).toBe(5);
    expect((await orderOf(id)).status).toBe('refunded');
    const membership = await membershipOf(member);
    expect(membership).toMatchObject({ status: 'active' });
    expect(membership).not.toHaveProperty('expiresAt');
    expect(membership).not.toHaveProperty('grants');
    expect(await lessonAccess(member, MEMBER_LESSON)).toBe('member');
  });
});

describe('refunding a gift', () => {
  it('before a friend claims it: the giver asks, nobody can claim it meanwhile, and once refunded nobody ever can', async () => {
    const staff = 'support';
    const giver = learner();
    const id = await buy(giver, { courseId: GIFT_COURSE, gift: true });

    const page = await myOrder(giver, id);
    expect(page.data.order.refund).toEqual({ eligible: true, rule: '购买后 7 天内且好友领取前可申请退款', amount: GIFT_PRICE });
    // The order, then the gift and the course's rule at once.
    expect(page.dbRequests).toBe(3);

    const requested = await requestRefund(giver, id);
    expect(requested.reply).toMatchObject({ ok: true, data: { order: { status: 'refundRequested' } } });
    console.log(`DB requests of requestRefund, a gift: ${requested.dbRequests}`);
    // The order; the gift and the rule; a transaction: begin, the order, the gift's read and write, the order's write, commit.
    expect(requested.dbRequests).toBe(9);
    expect((await orderOf(id)).refund).not.toHaveProperty('consumed');
    expect(await giftOf(id)).toMatchObject({ status: 'refunding' });

    const friend = learner();
    expect((await claim(friend, id)).reply).toEqual({ ok: false, code: 'CONFLICT', message: '送礼人正在办理退款，这份礼物暂不能领取' });

    await review(staff, id, true);
    const done = await completeRefund(id, 2);
    expect(done.answers).toEqual(['refunded', 'replay', 'replay']);
    console.log(`DB requests of completeRefund, an unclaimed gift: ${done.dbRequests}`);
    // begin, the order, the gift's read and update, the order's write, commit.
    expect(done.dbRequests).toBe(6);

    const order = await orderOf(id);
    expect(order.status).toBe('refunded');
    expect(await giftOf(id)).toMatchObject({ status: 'refunded', refundedAt: order.history.at(-1)!.at });
    expect(await giftOf(id)).not.toHaveProperty('claimedBy');
    expect((await claim(friend, id)).reply).toEqual({ ok: false, code: 'CONFLICT', message: '这份礼物已退款，无法领取' });
    expect(await courseEntitlementOf(friend, GIFT_COURSE)).toBeUndefined();
    expect((await ok<GetGiftResponse>(friend, 'getGift', { giftId: id })).data).toMatchObject({ gift: { status: 'refunded', refundedAt: expect.any(String) }, viewer: 'guest' });
    expect((await ok<ListMyGiftsResponse>(giver, 'listMyGifts')).data.gifts).toEqual([expect.objectContaining({ id, status: 'refunded' })]);
  });

  it('lets a friend claim it again once staff reject the request, or the refund fails', async () => {
    const staff = 'support';
    const giver = learner();
    const id = await buy(giver, { courseId: GIFT_COURSE, gift: true });
    expect((await requestRefund(giver, id)).reply.ok).toBe(true);

    const rejected = await review(staff, id, false, '礼物已分享，请与好友确认');
    expect(rejected.data).toMatchObject({ outcome: 'rejected', order: { status: 'paid' } });
    // The staff check; a transaction: begin, the order, the gift's read and write, the order's write, the audit entry, commit.
    expect(rejected.dbRequests).toBe(8);
    expect(await giftOf(id)).toMatchObject({ status: 'unclaimed' });

    // Staff refund it on their own after all, and the refund fails: claimable again.
    const approved = await review(staff, id, true);
    // The staff check; a transaction: begin, the order, the gift's read and write, the order's write, the audit entry, commit.
    expect(approved.dbRequests).toBe(8);
    expect(await giftOf(id)).toMatchObject({ status: 'refunding' });
    expect(await failRefund(id)).toEqual(['returned']);
    expect((await orderOf(id)).status).toBe('paid');
    expect(await giftOf(id)).toMatchObject({ status: 'unclaimed' });

    const friend = learner();
    expect((await claim(friend, id)).reply).toMatchObject({ ok: true });
    expect(await lessonAccess(friend, GIFT_LESSON)).toBe('purchased');
  });

  it("refuses the giver once a friend claimed it, and staff's refund takes the course back from the friend", async () => {
    const staff = 'support';
    const giver = learner();
    const id = await buy(giver, { courseId: GIFT_COURSE, gift: true });
    const friend = learner();
    expect((await claim(friend, id)).reply.ok).toBe(true);
    expect(await lessonAccess(friend, GIFT_LESSON)).toBe('purchased');

    expect((await myOrder(giver, id)).data.order.refund).toEqual({
      eligible: false,
      ineligibleReason: '礼物已被好友领取，不能退款',
      rule: '购买后 7 天内且好友领取前可申请退款',
      amount: GIFT_PRICE,
    });
    expect((await requestRefund(giver, id)).reply).toEqual({ ok: false, code: 'CONFLICT', message: '礼物已被好友领取，不能退款' });
    expect((await orderOf(id)).status).toBe('paid');

    const approved = await review(staff, id, true, '送礼人误购，全额退款');
    expect(approved.data).toMatchObject({ outcome: 'submitted', order: { status: 'refunding' } });
    // The staff check; a transaction: begin, the order, the gift's read (claimed: nothing to hold), the order's write, the audit entry, commit.
    expect(approved.dbRequests).toBe(7);
    // The money is not back yet: the friend still studies.
    expect(await lessonAccess(friend, GIFT_LESSON)).toBe('purchased');

    const done = await completeRefund(id, 2);
    expect(done.answers).toEqual(['refunded', 'replay', 'replay']);
    console.log(`DB requests of completeRefund, a claimed gift: ${done.dbRequests}`);
    // begin, the order, the gift's read and update, the friend's entitlement's read and update, the order's write, commit.
    expect(done.dbRequests).toBe(8);

    const refundedAt = (await orderOf(id)).history.at(-1)!.at;
    expect(await courseEntitlementOf(friend, GIFT_COURSE)).toMatchObject({ status: 'revoked', revokedAt: refundedAt, source: { kind: 'gift', giftId: id } });
    expect(await lessonAccess(friend, GIFT_LESSON)).toBe('locked');
    expect(await giftOf(id)).toMatchObject({ status: 'refunded', claimedBy: friend, refundedAt });
    expect((await ok<GetGiftResponse>(friend, 'getGift', { giftId: id })).data).toMatchObject({ gift: { status: 'refunded' }, viewer: 'claimer' });
    expect((await claim(friend, id)).reply).toEqual({ ok: false, code: 'CONFLICT', message: '这份礼物已退款，无法领取' });

    // The friend may buy the course themselves.
    await buy(friend, { courseId: GIFT_COURSE });
    expect(await lessonAccess(friend, GIFT_LESSON)).toBe('purchased');
  });

  it("judges the request by the course's refund window, whatever the progress", async () => {
    const giver = learner();
    // ppt-camp: refundable within 3 days.
    const id = await buy(giver, { courseId: 'ppt-camp', gift: true });
    await setPaidAt(id, new Date(Date.now() - 3 * DAY_MS - 60_000));
    expect((await myOrder(giver, id)).data.order.refund).toEqual({
      eligible: false,
      ineligibleReason: '已超过购买后 3 天的退款期限',
      rule: '购买后 3 天内且好友领取前可申请退款',
      amount: 9900,
    });
    expect((await requestRefund(giver, id)).reply).toEqual({ ok: false, code: 'CONFLICT', message: '已超过购买后 3 天的退款期限' });
    expect(await giftOf(id)).toMatchObject({ status: 'unclaimed' });
  });

  it('serializes a claim and the refund request racing for the same gift: exactly one of them goes through', async () => {
    const giver = learner();
    const id = await buy(giver, { courseId: GIFT_COURSE, gift: true });
    const friend = learner();
    const [claimed, requested] = await Promise.all([claim(friend, id), requestRefund(giver, id)]);
    expect([claimed.reply.ok, requested.reply.ok].sort()).toEqual([false, true]);
    const gift = await giftOf(id);
    if (claimed.reply.ok) {
      expect(gift.status).toBe('claimed');
      expect(requested.reply).toEqual({ ok: false, code: 'CONFLICT', message: '礼物已被好友领取，不能退款' });
      expect((await orderOf(id)).status).toBe('paid');
    } else {
      expect(gift.status).toBe('refunding');
      expect(claimed.reply).toEqual({ ok: false, code: 'CONFLICT', message: '送礼人正在办理退款，这份礼物暂不能领取' });
      expect(await courseEntitlementOf(friend, GIFT_COURSE)).toBeUndefined();
    }
  });
});
