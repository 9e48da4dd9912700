import type { ListMyCoursesResponse } from '../../domain/contracts/catalog';
import type { GetMyOrderResponse, ListMyOrdersResponse } from '../../domain/contracts/orders';
import { call, entitlementsOf, ok, pay, placeOrder } from '../support/commerce';
import { connectSdk, uniqueName, waitFor } from '../support/sdk';

/**
 * "My orders" and "my courses": listMyOrders, getMyOrder and listMyCourses through the gateway as
 * learners, after orders created by the real createOrder and paid in cloud pay's sandbox.
 */
const db = connectSdk().database();

const BASICS = 'excel-basics';
const ADVANCED = 'excel-advanced';

/** The learner orders the course; answers the order, not paid yet. */
const pendingOrder = async (openid: string, courseId: string) => (await placeOrder(openid, { courseId })).data.order;

/** The learner pays the order in the sandbox; answers once cloud pay's notification granted the course. */
async function payAndWaitForGrant(openid: string, orderId: string) {
  await pay(orderId);
  await waitFor(
    () => entitlementsOf(openid),
    (es) => es.some((e) => e.source?.kind === 'order' && e.source.orderId === orderId),
  );
}

const learner = () => uniqueName('o-mine');

describe('listMyOrders', () => {
  it("pages the caller's own orders, newest first, in one request each, without another learner's", async () => {
    const me = learner();
    const other = learner();
    const first = await pendingOrder(me, BASICS);
    const second = await pendingOrder(me, ADVANCED);
    const third = await pendingOrder(me, BASICS);
    await pendingOrder(other, BASICS);

    const page1 = await ok<ListMyOrdersResponse>(me, 'listMyOrders', { pageSize: 2 });
    expect(page1.dbRequests).toBe(1);
    expect(page1.data.page).toBe(1);
    expect(page1.data.hasMore).toBe(true);
    expect(page1.data.orders.map((o) => o.id)).toEqual([third.id, second.id]);
    const page2 = await ok<ListMyOrdersResponse>(me, 'listMyOrders', { page: 2, pageSize: 2 });
    expect(page2.dbRequests).toBe(1);
    expect(page2.data).toMatchObject({ page: 2, hasMore: false });
    expect(page2.data.orders.map((o) => o.id)).toEqual([first.id]);

    // What the learner sees of an order: never its history, the provider's record or the request key.
    expect(page1.data.orders[1]).toEqual({
      id: second.id,
      item: { kind: 'course', courseId: ADVANCED, title: 'Excel 数据透视与函数进阶', cover: expect.stringMatching(/^cloud:\/\//) },
      amount: 19900,
      status: 'pending',
      createdAt: expect.any(String),
    });
  });

  it('shows a paid order as paid and a cancelled one as closed, with their times', async () => {
    const me = learner();
    const paid = await pendingOrder(me, ADVANCED);
    await payAndWaitForGrant(me, paid.id);
    const cancelled = await pendingOrder(me, BASICS);
    await ok(me, 'cancelOrder', { orderId: cancelled.id });

    const { data } = await ok<ListMyOrdersResponse>(me, 'listMyOrders');
    expect(data.orders.map((o) => [o.id, o.status])).toEqual([
      [cancelled.id, 'closed'],
      [paid.id, 'paid'],
    ]);
    expect(data.orders[0]!.closedAt).toEqual(expect.any(String));
    expect(data.orders[1]!.paidAt).toEqual(expect.any(String));
  });

  it('answers an empty first page to a learner without orders, and refuses a learner field or a huge page', async () => {
    const me = learner();
    expect((await ok<ListMyOrdersResponse>(me, 'listMyOrders')).data).toEqual({ orders: [], page: 1, hasMore: false });
    expect((await call(me, 'listMyOrders', { openid: 'o-victim' })).reply).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
    expect((await call(me, 'listMyOrders', { pageSize: 500 })).reply).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
  });
});

describe('getMyOrder', () => {
  it("answers the caller's order in one request, and not another learner's", async () => {
    const me = learner();
    const order = await pendingOrder(me, BASICS);
    const mine = await ok<GetMyOrderResponse>(me, 'getMyOrder', { orderId: order.id });
    expect(mine.dbRequests).toBe(1);
    expect(mine.data.order).toMatchObject({ id: order.id, status: 'pending', amount: order.amount, item: { courseId: BASICS } });
    expect((await call(learner(), 'getMyOrder', { orderId: order.id })).reply).toEqual({ ok: false, code: 'NOT_FOUND', message: '订单不存在' });
  });
});

describe('listMyCourses', () => {
  it('lists a course right after its order is paid, most recently bought first, and not to another learner', async () => {
    const me = learner();
    const empty = await ok<ListMyCoursesResponse>(me, 'listMyCourses');
    expect(empty.data).toEqual({ courses: [], page: 1, hasMore: false });
    // A page without purchases: the entitlements and the membership, no course read.
    expect(empty.dbRequests).toBe(2);

    const pending = await pendingOrder(me, BASICS);
    expect((await ok<ListMyCoursesResponse>(me, 'listMyCourses')).data.courses).toEqual([]);
    await payAndWaitForGrant(me, pending.id);
    const basics = await ok<ListMyCoursesResponse>(me, 'listMyCourses');
    expect(basics.data.courses.map((c) => c.id)).toEqual([BASICS]);
    expect(basics.data.courses[0]).toMatchObject({ title: 'Excel 零基础到高效办公', cover: expect.any(String), lecturerName: expect.any(String), addedAt: expect.any(String), via: 'order' });
    // The entitlements and the membership; the courses and the learner's progress records of them.
    expect(basics.dbRequests).toBe(4);

    const advanced = await pendingOrder(me, ADVANCED);
    await payAndWaitForGrant(me, advanced.id);
    const both = await ok<ListMyCoursesResponse>(me, 'listMyCourses', { pageSize: 1 });
    expect(both.data).toMatchObject({ page: 1, hasMore: true });
    expect(both.data.courses.map((c) => c.id)).toEqual([ADVANCED]);
    const next = await ok<ListMyCoursesResponse>(me, 'listMyCourses', { page: 2, pageSize: 1 });
    expect(next.data).toMatchObject({ page: 2, hasMore: false });
    expect(next.data.courses.map((c) => c.id)).toEqual([BASICS]);
    expect(next.dbRequests).toBe(3);

    expect((await ok<ListMyCoursesResponse>(learner(), 'listMyCourses')).data.courses).toEqual([]);
  });

  it('says so when the learner holds an active membership', async () => {
    const me = learner();
    // Data setup: memberships are not sold yet; this is the entitlement their grant will write.
    await db.collection('entitlements').doc(`${me}:membership`).set({
      data: { openid: me, kind: 'membership', status: 'active', grantedAt: new Date(), expiresAt: new Date('2099-01-01T00:00:00Z') },
    });
    const { data } = await ok<ListMyCoursesResponse>(me, 'listMyCourses');
    expect(data).toEqual({ courses: [], page: 1, hasMore: false, membership: { expiresAt: '2099-01-01T00:00:00.000Z' } });

    const lapsed = learner();
    await db.collection('entitlements').doc(`${lapsed}:membership`).set({
      data: { openid: lapsed, kind: 'membership', status: 'active', grantedAt: new Date(0), expiresAt: new Date(1000) },
    });
    expect((await ok<ListMyCoursesResponse>(lapsed, 'listMyCourses')).data.membership).toBeUndefined();
  });
});
