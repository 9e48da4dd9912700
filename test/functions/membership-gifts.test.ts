import { randomUUID } from 'node:crypto';
import type { CourseDetail, LessonView } from '../../domain/contracts/catalog';
import type { ClaimGiftResponse, GetGiftResponse, ListMyGiftsResponse } from '../../domain/contracts/gifts';
import type { ListPlansResponse } from '../../domain/contracts/membership';
import { quote } from '../../domain/pricing/quote';
import {
  buy,
  call,
  entitlementsOf,
  firstDeliveryRequests,
  giftOf,
  membershipOf,
  ok,
  orderOf,
  pay,
  payWithDuplicates,
  placeOrder,
  viewerOf,
} from '../support/commerce';
import { connectSdk, uniqueName } from '../support/sdk';

/**
 * Membership plans, gifts and the pricing rules, through the gateway as learners, with cloud pay's
 * sandbox taking the money and notifying payNotify (README, "Sandbox controls").
 */
const { database } = connectSdk();
const db = database();

const DAY_MS = 86_400_000;

/** Puts an entitlement in place directly, as a learner who bought earlier would hold it. */
async function hold(openid: string, what: { courseId: string } | { memberUntil: Date }) {
  const doc =
    'courseId' in what
      ? { _id: `${openid}:course:${what.courseId}`, kind: 'course', courseId: what.courseId }
      : { _id: `${openid}:membership`, kind: 'membership', expiresAt: what.memberUntil };
  await db.collection('entitlements').add({ data: { ...doc, openid, status: 'active', grantedAt: new Date() } });
}

const learner = () => uniqueName('o-mg');
const inAMonth = () => new Date(Date.now() + 30 * DAY_MS);

describe('pricing rules', () => {
  it('asks the list price of a learner who holds nothing, the sale price struck through', async () => {
    const buyer = learner();
    expect(await viewerOf(buyer, 'photo-portrait')).toEqual({ access: null, quote: { amount: 24900, reason: 'list' } });
    expect(await viewerOf(buyer, 'excel-advanced')).toEqual({ access: null, quote: { amount: 19900, reason: 'list' } });
    expect(await viewerOf(buyer, 'kaoyan-reading')).toEqual({ access: null, quote: { amount: 29900, originalAmount: 39900, reason: 'list' } });
    expect((await placeOrder(buyer, { courseId: 'photo-portrait' })).data.order).toMatchObject({ amount: 24900, item: { kind: 'course', courseId: 'photo-portrait' } });
  });

  it('asks a member the member price of a course not included in membership, and the order charges it', async () => {
    const member = learner();
    await hold(member, { memberUntil: inAMonth() });
    const viewed = await ok<CourseDetail>(member, 'getCourse', { courseId: 'photo-portrait' });
    expect(viewed.data.viewer).toEqual({ access: null, quote: { amount: 19900, originalAmount: 24900, reason: 'member' } });
    expect(viewed.dbRequests).toBe(3);
    const { data, dbRequests } = await placeOrder(member, { courseId: 'photo-portrait' });
    expect(data.order).toMatchObject({ amount: 19900, originalAmount: 24900 });
    // The course; the entitlements and the referral binding at once; the insert.
    expect(dbRequests).toBe(4);

    // A lapsed membership is no discount.
    const lapsed = learner();
    await hold(lapsed, { memberUntil: new Date(Date.now() - 1000) });
    expect((await viewerOf(lapsed, 'photo-portrait')).quote).toEqual({ amount: 24900, reason: 'list' });
  });

  it('asks a learner who holds the entry course the upgrade price of the advanced one, in 4 requests', async () => {
    const upgrader = learner();
    await buy(upgrader, { courseId: 'excel-basics' });
    const viewed = await ok<CourseDetail>(upgrader, 'getCourse', { courseId: 'excel-advanced' });
    expect(viewed.data.viewer).toEqual({ access: null, quote: { amount: 16900, originalAmount: 19900, reason: 'upgrade' } });
    expect(viewed.dbRequests).toBe(3);
    const { data, dbRequests } = await placeOrder(upgrader, { courseId: 'excel-advanced' });
    expect(data.order).toMatchObject({ amount: 16900, originalAmount: 19900 });
    expect(dbRequests).toBe(4);
    await pay(data.order.id);
    expect((await orderOf(data.order.id)).status).toBe('paid');
    expect((await viewerOf(upgrader, 'excel-advanced')).access).toBe('purchased');

    // Studying the entry course through membership is not holding it: no upgrade price.
    const member = learner();
    await hold(member, { memberUntil: inAMonth() });
    expect((await viewerOf(member, 'excel-basics')).access).toBe('member');
    expect((await viewerOf(member, 'excel-advanced')).quote).toEqual({ amount: 19900, reason: 'list' });
  });

  it('refuses a course included in membership to a member: they own it', async () => {
    const member = learner();
    await hold(member, { memberUntil: inAMonth() });
    expect(await viewerOf(member, 'guitar')).toEqual({ access: 'member', quote: { amount: 0, reason: 'owned' } });
    expect((await call(member, 'createOrder', { courseId: 'guitar', clientRequestKey: randomUUID() })).reply).toEqual({
      ok: false,
      code: 'ALREADY_OWNED',
      message: '这门课程已包含在你的会员中，可直接学习',
    });
  });

  it('picks the lowest price among the rules that apply', () => {
    const course = { _id: 'c', price: { amount: 30000, includedInMembership: false, memberAmount: 25000, upgrade: { fromCourseId: 'e', amount: 20000 } } };
    const now = new Date();
    const entitlement = (kind: 'course' | 'membership') =>
      ({ _id: kind, openid: 'o', kind, ...(kind === 'course' ? { courseId: 'e' } : { expiresAt: inAMonth() }), status: 'active', grantedAt: now }) as const;
    expect(quote(course, [entitlement('membership')], now)).toEqual({ amount: 25000, originalAmount: 30000, reason: 'member' });
    expect(quote(course, [entitlement('membership'), entitlement('course')], now)).toEqual({ amount: 20000, originalAmount: 30000, reason: 'upgrade' });
    expect(quote({ ...course, price: { ...course.price, memberAmount: 15000 } }, [entitlement('membership'), entitlement('course')], now).reason).toBe('member');
  });

  it.each([
    { courseId: 'photo-portrait', amount: 1 },
    { courseId: 'photo-portrait', gift: true, price: 1 },
    { planId: 'plan-year', amount: 1 },
    { planId: 'plan-year', discount: 0.5 },
    { planId: 'plan-year', openid: 'o-victim' },
  ])('refuses a tampered request %j, creating nothing', async (tampered) => {
    const buyer = learner();
    const { reply } = await call(buyer, 'createOrder', { ...tampered, clientRequestKey: randomUUID() });
    const extra = Object.keys(tampered).find((k) => !['courseId', 'planId', 'gift'].includes(k))!;
    expect(reply).toMatchObject({ ok: false, code: 'INVALID_INPUT', message: expect.stringContaining(extra) });
    expect((await db.collection('orders').where({ openid: buyer }).get()).data).toEqual([]);
  });

  it.each([
    [{ courseId: 'photo-portrait', planId: 'plan-year' }, '请选择要购买的课程或会员方案'],
    [{}, '请选择要购买的课程或会员方案'],
    [{ planId: 'plan-year', gift: true }, '会员方案不能作为礼物购买'],
    [{ courseId: 'photo-portrait', gift: false }, 'gift'],
  ])('refuses an order for %j', async (what, message) => {
    const { reply } = await call(learner(), 'createOrder', { ...what, clientRequestKey: randomUUID() });
    expect(reply).toMatchObject({ ok: false, code: 'INVALID_INPUT', message: expect.stringContaining(message) });
  });
});

describe('membership plans', () => {
  it('lists the plans on sale in order, and the caller is not a member yet: 2 requests', async () => {
    const { data, dbRequests } = await ok<ListPlansResponse>(learner(), 'listPlans');
    expect(data).toEqual({
      plans: [
        { id: 'plan-year', title: '年度会员', subtitle: '365 天畅学会员课程，平均每月 ¥16.6', amount: 19900, durationDays: 365 },
        { id: 'plan-quarter', title: '季度会员', subtitle: '90 天畅学会员课程，先试一季', amount: 6900, durationDays: 90 },
      ],
      membership: null,
    });
    expect(dbRequests).toBe(2);
  });

  it('grants a membership with an expiry when a plan is paid, which opens member-included courses', async () => {
    const buyer = learner();
    expect((await ok<LessonView>(buyer, 'getLesson', { lessonId: 'guitar-05' })).data.access).toBe('locked');

    const before = Date.now();
    const { data, dbRequests } = await placeOrder(buyer, { planId: 'plan-year' });
    expect(data.order).toMatchObject({ item: { kind: 'membership', planId: 'plan-year', title: '年度会员', durationDays: 365 }, amount: 19900, status: 'pending' });
    expect(dbRequests).toBe(3);
    await pay(data.order.id);
    const notifyRequests = await firstDeliveryRequests(data.order.id);
    console.log(`DB requests of a plan purchase: createOrder ${dbRequests} + payNotify ${notifyRequests}`);
    expect(notifyRequests).toBe(6);

    const membership = await membershipOf(buyer);
    expect(membership).toMatchObject({ kind: 'membership', status: 'active', source: { kind: 'order', orderId: data.order.id } });
    expect(membership.expiresAt!.getTime()).toBeGreaterThanOrEqual(before + 365 * DAY_MS);
    expect(membership.expiresAt!.getTime()).toBeLessThanOrEqual(Date.now() + 365 * DAY_MS);
    expect((await ok<ListPlansResponse>(buyer, 'listPlans')).data.membership).toEqual({ expiresAt: membership.expiresAt!.toISOString() });

    const lesson = await ok<LessonView>(buyer, 'getLesson', { lessonId: 'guitar-05' });
    expect(lesson.data).toMatchObject({ access: 'member', media: { url: expect.stringContaining('lesson-hobby.mp4') } });
    // Courses outside membership stay closed.
    expect((await ok<LessonView>(buyer, 'getLesson', { lessonId: 'photo-portrait-05' })).data.access).toBe('locked');
  });

  it('stacks a renewal on the current expiry, even bought while a member', async () => {
    const member = learner();
    await buy(member, { planId: 'plan-year' });
    const first = (await membershipOf(member)).expiresAt!;
    const renewal = await buy(member, { planId: 'plan-quarter' });
    const renewed = await membershipOf(member);
    expect(renewed.expiresAt).toEqual(new Date(first.getTime() + 90 * DAY_MS));
    expect(renewed.grants!.map((g) => [g.durationDays, g.source])).toEqual([
      [365, { kind: 'order', orderId: expect.any(String) }],
      [90, { kind: 'order', orderId: renewal }],
    ]);
  });

  it('starts a lapsed membership again from the payment, not from its old expiry', async () => {
    const lapsed = learner();
    await hold(lapsed, { memberUntil: new Date(Date.now() - 10 * DAY_MS) });
    const before = Date.now();
    await buy(lapsed, { planId: 'plan-quarter' });
    expect((await membershipOf(lapsed)).expiresAt!.getTime()).toBeGreaterThanOrEqual(before + 90 * DAY_MS);
  });

  it('extends the membership once when the payment notification arrives four times', async () => {
    const buyer = learner();
    const { data } = await placeOrder(buyer, { planId: 'plan-quarter' });
    expect(await payWithDuplicates(data.order.id, 3)).toEqual(['paid', 'replay', 'replay', 'replay']);
    const membership = await membershipOf(buyer);
    expect(membership.grants).toHaveLength(1);
    expect(membership.expiresAt!.getTime() - membership.grantedAt.getTime()).toBe(90 * DAY_MS);
  });

  it('refuses a plan not on sale, and a plan to a learner whose membership never ends', async () => {
    expect((await call(learner(), 'createOrder', { planId: 'plan-lifetime', clientRequestKey: randomUUID() })).reply).toMatchObject({ ok: false, code: 'NOT_FOUND' });
    const forever = learner();
    await db.collection('entitlements').add({ data: { _id: `${forever}:membership`, openid: forever, kind: 'membership', status: 'active', grantedAt: new Date() } });
    expect((await call(forever, 'createOrder', { planId: 'plan-year', clientRequestKey: randomUUID() })).reply).toEqual({
      ok: false,
      code: 'ALREADY_OWNED',
      message: '你的会员长期有效，无需再购买',
    });
  });
});

describe('gifts', () => {
  /** A learner with a profile (the nickname the gift shows) who bought `courseId` as a gift. */
  async function giftBought(courseId = 'excel-advanced') {
    const giver = learner();
    await db.collection('users').add({ data: { _id: giver, nickname: '送礼的小林', avatarUrl: '', createdAt: new Date(), lastLoginAt: new Date() } });
    const giftId = await buy(giver, { courseId, gift: true });
    return { giver, giftId };
  }

  it('sells a course as a gift at the price anyone pays, in 3 requests, and issues an unclaimed gift granting the buyer nothing', async () => {
    const giver = learner();
    await buy(giver, { courseId: 'excel-basics' });
    // The giver's upgrade price is theirs: the friend's course costs the list price.
    const { data, dbRequests } = await placeOrder(giver, { courseId: 'excel-advanced', gift: true });
    expect(data.order).toMatchObject({ item: { kind: 'gift', courseId: 'excel-advanced', title: 'Excel 数据透视与函数进阶', cover: expect.stringContaining('cover-excel-advanced') }, amount: 19900 });
    // The course and the referral binding at once; the insert.
    expect(dbRequests).toBe(3);
    await pay(data.order.id);
    const notifyRequests = await firstDeliveryRequests(data.order.id);
    console.log(`DB requests of a gift purchase: createOrder ${dbRequests} + payNotify ${notifyRequests}`);
    expect(notifyRequests).toBe(5);

    expect(await giftOf(data.order.id)).toEqual({
      _id: data.order.id,
      courseId: 'excel-advanced',
      title: 'Excel 数据透视与函数进阶',
      cover: expect.stringContaining('cover-excel-advanced'),
      from: giver,
      status: 'unclaimed',
      createdAt: expect.any(Date),
    });
    expect((await entitlementsOf(giver)).map((e) => e.courseId)).toEqual(['excel-basics']);
    expect((await viewerOf(giver, 'excel-advanced')).access).toBeNull();
    expect((await ok<ListMyGiftsResponse>(giver, 'listMyGifts', {})).data.gifts).toEqual([
      expect.objectContaining({ id: data.order.id, courseId: 'excel-advanced', status: 'unclaimed' }),
    ]);
  });

  it('lets the buyer gift a course they own, and refuses to sell a free course as a gift', async () => {
    const owner = learner();
    await buy(owner, { courseId: 'talk-meeting' });
    const { data } = await placeOrder(owner, { courseId: 'talk-meeting', gift: true });
    expect(data.order).toMatchObject({ item: { kind: 'gift' }, amount: 2900 });
    expect((await call(owner, 'createOrder', { courseId: 'gongkao-intro', gift: true, clientRequestKey: randomUUID() })).reply).toMatchObject({ ok: false, code: 'FREE_COURSE' });
  });

  it('shows the gift to whoever opens the link, with the giver nickname', async () => {
    const { giver, giftId } = await giftBought();
    const asFriend = await ok<GetGiftResponse>(learner(), 'getGift', { giftId });
    expect(asFriend.data).toEqual({
      gift: { id: giftId, courseId: 'excel-advanced', title: 'Excel 数据透视与函数进阶', cover: expect.any(String), fromNickname: '送礼的小林', status: 'unclaimed', createdAt: expect.any(String) },
      viewer: 'guest',
    });
    expect(asFriend.dbRequests).toBe(2);
    expect(JSON.stringify(asFriend.data)).not.toContain(giver);
    expect((await ok<GetGiftResponse>(giver, 'getGift', { giftId })).data.viewer).toBe('giver');
    expect((await call(learner(), 'getGift', { giftId: 'no-such-gift' })).reply).toMatchObject({ ok: false, code: 'NOT_FOUND' });
  });

  it('grants the course to the friend who claims it, in 5 requests, and marks the gift claimed', async () => {
    const { giftId } = await giftBought();
    const friend = learner();
    const claimed = await ok<ClaimGiftResponse>(friend, 'claimGift', { giftId });
    expect(claimed.data).toEqual({ courseId: 'excel-advanced', claimedAt: expect.any(String) });
    expect(claimed.dbRequests).toBe(5);

    expect(await entitlementsOf(friend)).toEqual([
      expect.objectContaining({ _id: `${friend}:course:excel-advanced`, kind: 'course', status: 'active', source: { kind: 'gift', giftId } }),
    ]);
    expect((await viewerOf(friend, 'excel-advanced')).access).toBe('purchased');
    expect((await ok<LessonView>(friend, 'getLesson', { lessonId: 'excel-advanced-05' })).data.access).toBe('purchased');
    expect(await giftOf(giftId)).toMatchObject({ status: 'claimed', claimedBy: friend, claimedAt: new Date(claimed.data.claimedAt) });
    expect((await ok<GetGiftResponse>(friend, 'getGift', { giftId })).data).toMatchObject({ gift: { status: 'claimed' }, viewer: 'claimer' });
  });

  it('answers the same claimer again with the same success, changing nothing; another friend is refused', async () => {
    const { giftId } = await giftBought();
    const friend = learner();
    const first = await ok<ClaimGiftResponse>(friend, 'claimGift', { giftId });
    const again = await ok<ClaimGiftResponse>(friend, 'claimGift', { giftId });
    expect(again.data).toEqual(first.data);
    expect(await entitlementsOf(friend)).toHaveLength(1);
    expect((await call(learner(), 'claimGift', { giftId })).reply).toEqual({ ok: false, code: 'CONFLICT', message: '这份礼物已被其他好友领取' });
  });

  it('lets exactly one of two friends claiming at once have it', async () => {
    const { giftId } = await giftBought();
    const friends = [learner(), learner()];
    const replies = await Promise.all(friends.map((f) => call(f, 'claimGift', { giftId })));
    expect(replies.map((r) => r.reply.ok).sort()).toEqual([false, true]);
    const winner = friends[replies.findIndex((r) => r.reply.ok)]!;
    expect(await giftOf(giftId)).toMatchObject({ status: 'claimed', claimedBy: winner });
    expect((await Promise.all(friends.map(entitlementsOf))).flat()).toEqual([expect.objectContaining({ openid: winner })]);
  });

  it('refuses the giver claiming their own gift, which stays claimable', async () => {
    const { giver, giftId } = await giftBought();
    expect((await call(giver, 'claimGift', { giftId })).reply).toEqual({ ok: false, code: 'FORBIDDEN', message: '这是你送出的礼物，分享给好友领取吧' });
    expect(await giftOf(giftId)).toMatchObject({ status: 'unclaimed' });
    expect((await viewerOf(giver, 'excel-advanced')).access).toBeNull();
  });

  it('refuses a friend who already owns the course and keeps the gift for someone else', async () => {
    const { giftId } = await giftBought('talk-meeting');
    const owner = learner();
    await buy(owner, { courseId: 'talk-meeting' });
    expect((await call(owner, 'claimGift', { giftId })).reply).toEqual({
      ok: false,
      code: 'ALREADY_OWNED',
      message: '你已拥有这门课程，无需领取，礼物可以留给其他好友',
    });
    expect(await giftOf(giftId)).toMatchObject({ status: 'unclaimed' });
    expect((await entitlementsOf(owner)).map((e) => e.source)).toEqual([{ kind: 'order', orderId: expect.any(String) }]);

    const other = learner();
    await ok(other, 'claimGift', { giftId });
    expect(await giftOf(giftId)).toMatchObject({ status: 'claimed', claimedBy: other });
  });

  it('gives a member who studies the course through membership the course for good', async () => {
    const { giftId } = await giftBought('guitar');
    const member = learner();
    await hold(member, { memberUntil: inAMonth() });
    await ok(member, 'claimGift', { giftId });
    expect((await entitlementsOf(member)).find((e) => e.kind === 'course')).toMatchObject({ courseId: 'guitar', source: { kind: 'gift', giftId } });
  });

  it('issues one gift when the payment notification arrives four times', async () => {
    const giver = learner();
    const { data } = await placeOrder(giver, { courseId: 'talk-meeting', gift: true });
    expect(await payWithDuplicates(data.order.id, 3)).toEqual(['paid', 'replay', 'replay', 'replay']);
    expect((await db.collection('gifts').where({ from: giver }).get()).data).toHaveLength(1);
    expect(await entitlementsOf(giver)).toEqual([]);
  });
});
