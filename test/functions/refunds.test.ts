import { randomUUID } from 'node:crypto';
import type { Course } from '../../domain/catalog/model';
import type { ListRefundRequestsResponse } from '../../domain/contracts/refunds';
import type { ListAuditResponse } from '../../domain/contracts/staff';
import { RECONCILE_AFTER_MS } from '../../domain/orders/settle';
import {
  buy,
  call,
  completeRefund,
  courseEntitlementOf,
  failRefund,
  fireSettleOrders,
  incidentsOf,
  lessonAccess,
  myOrder,
  ok,
  orderOf,
  placeOrder,
  refundEvent,
  refundsOf,
  requestRefund,
  review,
  sandboxCompleteRefund,
  sandboxPay,
  setPaidAt,
  SUB_MCH_ID,
  viewerOf,
} from '../support/commerce';
import { callAs, connectSdk, uniqueName } from '../support/sdk';
import { callAsStaff, staffOk, uidOf } from '../support/staff';

/**
 * Refunds: the learner's request (requestRefund) under the course's rule, staff's review (listRefundRequests,
 * reviewRefund), cloud pay's sandbox refunding and calling the real refundNotify, and settleOrders
 * reconciling refunds whose callback was lost. Everything through the gateway and the real SDK.
 */
const { cloud, database, callFunction } = connectSdk();
const db = database();

const COURSE = 'excel-basics';
const PRICE = 990;
/** excel-basics has 12 lessons and is refundable within 7 days of purchase, at most 30% consumed. */
const PAID_LESSON = 'excel-basics-03';
const RULE = '购买后 7 天内且学习进度不超过 30% 可申请退款';
const DAY_MS = 86_400_000;

const learner = () => uniqueName('o-refund');

/** A learner who bought the course and asked for a refund; answers the order. */
async function requested(openid: string): Promise<string> {
  const id = await buy(openid, { courseId: COURSE });
  const { reply } = await requestRefund(openid, id);
  expect(reply.ok).toBe(true);
  return id;
}

/** A learner's request that staff approved: the order is refunding. Answers it and its refund at cloud pay. */
async function approvedRequest(openid: string) {
  const id = await requested(openid);
  await review('support', id, true);
  const [refund] = await refundsOf(id);
  return { id, refund: refund! };
}

/**
 * Data setup, not a mock: a time written back with the admin SDK, as if that much time had passed; or
 * lessons the learner completed, as the learning-progress feature will record them.
 */
const setRequestedAt = (id: string, requestedAt: Date) => db.collection('orders').doc(id).update({ data: { refund: { requestedAt } } });
async function completeLessons(openid: string, count: number, courseId = COURSE) {
  for (let i = 1; i <= count; i++) {
    await db.collection('progress').add({ data: { openid, courseId, lessonId: `${courseId}-${String(i).padStart(2, '0')}`, completed: true, updatedAt: new Date() } });
  }
}

describe('requestRefund', () => {
  it('takes a request within the rule: the order waits for staff and the learner keeps the course meanwhile', async () => {
    const me = learner();
    const id = await buy(me, { courseId: COURSE });

    const before = await myOrder(me, id);
    expect(before.data.order).toMatchObject({ status: 'paid', refund: { eligible: true, rule: RULE, amount: PRICE } });
    expect(before.data.order.refund).not.toHaveProperty('ineligibleReason');
    // The order, then the course's rule and the learner's progress at once.
    expect(before.dbRequests).toBe(3);

    const { reply, dbRequests } = await requestRefund(me, id, '  内容和预期不一样  ');
    expect(reply).toEqual({
      ok: true,
      data: {
        order: expect.objectContaining({
          id,
          status: 'refundRequested',
          refund: { eligible: false, ineligibleReason: '已提交退款申请，请等待审核', amount: PRICE, reason: '内容和预期不一样', requestedAt: expect.any(String) },
        }),
      },
    });
    console.log(`DB requests of requestRefund: ${dbRequests}`);
    expect(dbRequests).toBe(7);

    const order = await orderOf(id);
    expect(order.refund).toEqual({ outRefundNo: `${id}-R1`, attempt: 1, amount: PRICE, reason: '内容和预期不一样', requestedAt: expect.any(Date), requestedBy: 'learner', consumed: 0 });
    expect(order.history.at(-1)).toMatchObject({ from: 'paid', to: 'refundRequested', reason: 'refund requested by the learner' });
    expect(await lessonAccess(me, PAID_LESSON)).toBe('purchased');

    // Asking twice is one request.
    expect((await requestRefund(me, id)).reply).toEqual({ ok: false, code: 'CONFLICT', message: '已提交退款申请，请等待审核' });
    expect((await orderOf(id)).history.filter((h) => h.to === 'refundRequested')).toHaveLength(1);
  });

  it('refuses past the refund window, and takes it on its last day', async () => {
    const me = learner();
    const id = await buy(me, { courseId: COURSE });
    await setPaidAt(id, new Date(Date.now() - 7 * DAY_MS - 60_000));
    expect((await myOrder(me, id)).data.order.refund).toEqual({ eligible: false, ineligibleReason: '已超过购买后 7 天的退款期限', rule: RULE, amount: PRICE });
    expect((await requestRefund(me, id)).reply).toEqual({ ok: false, code: 'CONFLICT', message: '已超过购买后 7 天的退款期限' });
    expect((await orderOf(id)).status).toBe('paid');

    await setPaidAt(id, new Date(Date.now() - 7 * DAY_MS + 60_000));
    expect((await requestRefund(me, id)).reply.ok).toBe(true);
  });

  it('judges by the rule shown at purchase, even after the course changes its rule', async () => {
    const me = learner();
    const course = 'kaoyan-words';
    const { data } = await db.collection<Course>('courses').doc(course).get();
    const shown = data.refundRule;
    const id = await buy(me, { courseId: course });
    // The creator tightens the rule after the sale, as the console would.
    await db.collection('courses').doc(course).update({ data: { refundRule: { withinDays: 0, maxProgress: 0 } } });
    try {
      expect((await myOrder(me, id)).data.order.refund).toMatchObject({ eligible: true, rule: `购买后 ${shown.withinDays} 天内且学习进度不超过 ${Math.round(shown.maxProgress * 100)}% 可申请退款` });
      expect((await requestRefund(me, id)).reply.ok).toBe(true);
    } finally {
      await db.collection('courses').doc(course).update({ data: { refundRule: shown } });
    }
  });

  it('refuses when more of the course than the rule allows was studied', async () => {
    const me = learner();
    const id = await buy(me, { courseId: COURSE });
    // 3 of the 12 lessons (25%) is within 30%; lessons only opened do not count; a 4th (33%) is not.
    await completeLessons(me, 3);
    await db.collection('progress').add({ data: { openid: me, courseId: COURSE, lessonId: `${COURSE}-04`, completed: false, updatedAt: new Date() } });
    expect((await myOrder(me, id)).data.order.refund).toMatchObject({ eligible: true });

    await db.collection('progress').add({ data: { openid: me, courseId: COURSE, lessonId: `${COURSE}-05`, completed: true, updatedAt: new Date() } });
    expect((await myOrder(me, id)).data.order.refund).toMatchObject({ eligible: false, ineligibleReason: '学习进度已超过 30%，不符合退款规则' });
    expect((await requestRefund(me, id)).reply).toEqual({ ok: false, code: 'CONFLICT', message: '学习进度已超过 30%，不符合退款规则' });
  });

  it("refuses an unpaid order, another learner's order, and a request without a reason", async () => {
    const me = learner();
    const pending = (await placeOrder(me, { courseId: COURSE })).data.order.id;
    expect((await myOrder(me, pending)).data.order).not.toHaveProperty('refund');
    expect((await requestRefund(me, pending)).reply).toEqual({ ok: false, code: 'CONFLICT', message: '订单未支付，无需退款' });

    const paid = await buy(me, { courseId: 'talk-meeting' });
    const other = learner();
    expect((await requestRefund(other, paid)).reply).toEqual({ ok: false, code: 'NOT_FOUND', message: '订单不存在' });
    expect((await requestRefund(me, paid, '   ')).reply).toMatchObject({ ok: false, code: 'INVALID_INPUT', message: expect.stringContaining('请填写退款原因') });
    expect((await call(me, 'requestRefund', { orderId: paid, reason: '不想学了', amount: 1 })).reply).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
    expect((await orderOf(paid)).status).toBe('paid');
    expect((await orderOf(pending)).status).toBe('pending');
  });
});

describe('staff functions', () => {
  it('refuse learners, callers not signed in to the console, and staff whose role does not cover refunds, changing nothing', async () => {
    const me = learner();
    const id = await requested(me);
    for (const [name, data] of [
      ['listRefundRequests', {}],
      ['reviewRefund', { orderId: id, approve: true }],
    ] as const) {
      const { reply, dbRequests } = await call(me, name, data);
      expect(reply).toEqual({ ok: false, code: 'FORBIDDEN', message: '无权操作' });
      // A learner's openid is refused before anything is read.
      expect(dbRequests).toBe(0);
      // Another function or a script (no signed-in user) is not staff either.
      expect((await callFunction(name, data)).result).toEqual({ ok: false, code: 'UNAUTHENTICATED', message: '请先登录管理后台' });
      // An editor's and a teacher's roles do not cover refunds (domain/staff/roles.ts).
      for (const account of ['editor', 'teacher'] as const) expect((await callAsStaff(account, name, data)).reply).toEqual({ ok: false, code: 'FORBIDDEN', message: '无权操作' });
    }
    expect((await orderOf(id)).status).toBe('refundRequested');
    expect(await refundsOf(id)).toEqual([]);
  });

  it('list refund requests oldest first, a page at a time, with what staff decide on', async () => {
    const [first, second] = [learner(), learner()];
    const firstId = await requested(first);
    const secondId = await requested(second);
    // Asked long ago, so they come before any other test's requests.
    await setRequestedAt(firstId, new Date('2000-01-01T00:00:00Z'));
    await setRequestedAt(secondId, new Date('2000-01-02T00:00:00Z'));

    const page1 = await staffOk<ListRefundRequestsResponse>('support', 'listRefundRequests', { pageSize: 1 });
    // The role, then the page.
    expect(page1.dbRequests).toBe(2);
    expect(page1.data).toMatchObject({ page: 1, hasMore: true });
    expect(page1.data.requests).toEqual([
      {
        orderId: firstId,
        openid: first,
        item: expect.objectContaining({ kind: 'course', courseId: COURSE }),
        status: 'refundRequested',
        paidAmount: PRICE,
        createdAt: expect.any(String),
        paidAt: expect.any(String),
        refund: { reason: '内容和预期不一样', requestedAt: '2000-01-01T00:00:00.000Z', requestedBy: 'learner', consumed: 0, outRefundNo: `${firstId}-R1` },
      },
    ]);
    const page2 = await staffOk<ListRefundRequestsResponse>('support', 'listRefundRequests', { page: 2, pageSize: 1 });
    expect(page2.data.requests.map((r) => r.orderId)).toEqual([secondId]);
    expect((await callAsStaff('support', 'listRefundRequests', { status: 'paid' })).reply).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
  });

  it('reject: the order is paid again with the course kept, and the learner reads why and cannot ask again', async () => {
    const staff = 'support';
    const me = learner();
    const id = await requested(me);
    const paidAt = (await orderOf(id)).paidAt;

    expect((await callAsStaff('support', 'reviewRefund', { orderId: id, approve: false })).reply).toEqual({
      ok: false,
      code: 'INVALID_INPUT',
      message: '驳回退款申请时请填写原因，学员会看到它',
    });
    const rejected = await review(staff, id, false, '课程已学习较多，不符合退款条件');
    expect(rejected.data).toMatchObject({ outcome: 'rejected', order: { status: 'paid', refund: { decision: { by: uidOf(staff), approved: false, note: '课程已学习较多，不符合退款条件' } } } });
    // The staff check and one transaction (begin, the order, its write, the audit entry, commit).
    expect(rejected.dbRequests).toBe(6);

    const order = await orderOf(id);
    expect(order).toMatchObject({ status: 'paid', paidAt });
    expect(order.history.at(-1)).toMatchObject({ from: 'refundRequested', to: 'paid', reason: 'refund rejected by staff' });
    expect(await lessonAccess(me, PAID_LESSON)).toBe('purchased');
    expect((await myOrder(me, id)).data.order.refund).toEqual({
      eligible: false,
      ineligibleReason: '退款申请未通过：课程已学习较多，不符合退款条件',
      amount: PRICE,
      reason: '内容和预期不一样',
      requestedAt: expect.any(String),
      decision: { approved: false, note: '课程已学习较多，不符合退款条件', at: expect.any(String) },
    });
    expect((await requestRefund(me, id)).reply).toEqual({ ok: false, code: 'CONFLICT', message: '退款申请未通过：课程已学习较多，不符合退款条件' });
    expect((await callAsStaff('support', 'reviewRefund', { orderId: id, approve: false, note: '重复驳回' })).reply).toMatchObject({ ok: false, code: 'CONFLICT' });
    expect(await refundsOf(id)).toEqual([]);
  });
});

describe('approving: reviewRefund -> cloud pay refund -> refundNotify', () => {
  it('refunds the order and revokes the course in the callback, once, whatever the duplicates', async () => {
    const staff = 'support';
    const me = learner();
    const id = await requested(me);

    const approved = await review(staff, id, true);
    expect(approved.data).toMatchObject({ outcome: 'submitted', order: { status: 'refunding', refund: { outRefundNo: `${id}-R1`, decision: { by: uidOf(staff), approved: true } } } });
    // Recorded for the owner, with who decided and what changed.
    const audit = await staffOk<ListAuditResponse>('owner', 'listAudit', { targetId: id });
    expect(audit.data.entries).toEqual([
      expect.objectContaining({ by: { uid: uidOf(staff), name: '演示客服' }, action: 'refunds.review', summary: '同意退款申请，退 9.90 元', before: { status: 'refundRequested' }, after: { status: 'refunding', amount: PRICE } }),
    ]);
    expect(approved.dbRequests).toBe(6);
    expect(await refundsOf(id)).toEqual([expect.objectContaining({ outRefundNo: `${id}-R1`, totalFee: PRICE, refundFee: PRICE, status: 'PROCESSING', functionName: 'refundNotify' })]);
    // The money has not gone back yet: the learner still studies.
    expect(await lessonAccess(me, PAID_LESSON)).toBe('purchased');
    expect((await myOrder(me, id)).data.order).toMatchObject({ status: 'refunding', refund: { eligible: false, ineligibleReason: '退款处理中，款项将原路退回' } });

    const done = await completeRefund(id, 2);
    expect(done.answers).toEqual(['refunded', 'replay', 'replay']);

    const order = await orderOf(id);
    expect(order).toMatchObject({ status: 'refunded', refund: { refundId: expect.stringMatching(/^\d+$/), refundedAt: expect.any(Date) } });
    expect(order.history.map((h) => h.to)).toEqual(['pending', 'paid', 'refundRequested', 'refunding', 'refunded']);
    const entitlement = await courseEntitlementOf(me, COURSE);
    expect(entitlement).toMatchObject({ status: 'revoked', source: { kind: 'order', orderId: id } });
    // Revoked by the transaction that refunded the order: the same moment.
    expect(entitlement!.revokedAt).toEqual(order.history.at(-1)!.at);

    expect(await lessonAccess(me, PAID_LESSON)).toBe('locked');
    expect(await viewerOf(me, COURSE)).toMatchObject({ access: null });
    expect((await myOrder(me, id)).data.order).toMatchObject({
      status: 'refunded',
      refund: { eligible: false, ineligibleReason: '订单已退款', amount: PRICE, refundedAt: expect.any(String), decision: { approved: true } },
    });

    // One transaction: begin, the order, the entitlement's read and update, the order's write, commit.
    console.log(`DB requests of refundNotify completing a refund (completeRefund): ${done.dbRequests}`);
    expect(done.dbRequests).toBe(6);
  });

  it('asks cloud pay once per attempt: a retried approval reuses the refund number', async () => {
    const staff = 'support';
    const id = await requested(learner());
    await review(staff, id, true);
    const again = await review(staff, id, true);
    expect(again.data).toMatchObject({ outcome: 'submitted', order: { status: 'refunding', refund: { outRefundNo: `${id}-R1` } } });
    expect(await refundsOf(id)).toHaveLength(1);
    expect((await orderOf(id)).history.filter((h) => h.to === 'refunding')).toHaveLength(1);
    await sandboxCompleteRefund(`${id}-R1`);
  });

  it('lets the learner buy the course again after the refund', async () => {
    const staff = 'support';
    const me = learner();
    const first = await requested(me);
    await review(staff, first, true);
    await sandboxCompleteRefund(`${first}-R1`);
    expect(await lessonAccess(me, PAID_LESSON)).toBe('locked');

    const second = await buy(me, { courseId: COURSE });
    expect((await orderOf(second)).status).toBe('paid');
    expect(await courseEntitlementOf(me, COURSE)).toMatchObject({ status: 'active', source: { kind: 'order', orderId: second } });
    expect(await lessonAccess(me, PAID_LESSON)).toBe('purchased');
    expect(await incidentsOf(second)).toEqual([]);
  });

  it('refunds on staff initiative a paid order and money that bought nothing, leaving access from another order alone', async () => {
    const staff = 'support';
    const me = learner();
    // Two orders for one course, both paid: the second payment buys nothing (needsRefund).
    const first = (await placeOrder(me, { courseId: COURSE })).data.order.id;
    await ok(me, 'cancelOrder', { orderId: first });
    const kept = await buy(me, { courseId: COURSE });
    expect((await sandboxPay(first, { force: true })).status).toBe(200);
    expect((await orderOf(first)).status).toBe('needsRefund');
    expect((await myOrder(me, first)).data.order.refund).toEqual({
      eligible: false,
      ineligibleReason: '这笔付款未能开通课程，客服会将款项原路退回，无需申请',
      amount: PRICE,
    });

    const approved = await review(staff, first, true);
    expect(approved.data).toMatchObject({ outcome: 'submitted', order: { status: 'refunding', refund: { requestedBy: 'staff', reason: '这笔付款未能开通课程，原路退回' } } });
    await sandboxCompleteRefund(`${first}-R1`);
    expect((await orderOf(first)).history.map((h) => h.to)).toEqual(['pending', 'closed', 'needsRefund', 'refunding', 'refunded']);
    // The course came from the other order: it stays.
    expect(await courseEntitlementOf(me, COURSE)).toMatchObject({ status: 'active', source: { kind: 'order', orderId: kept } });
    expect(await lessonAccess(me, PAID_LESSON)).toBe('purchased');

    // A paid order nobody asked to refund.
    const other = learner();
    const paid = await buy(other, { courseId: 'talk-meeting' });
    expect((await review(staff, paid, true, '课程停更，全额退款')).data).toMatchObject({
      outcome: 'submitted',
      order: { status: 'refunding', refund: { requestedBy: 'staff', reason: '课程停更，全额退款' } },
    });
    await sandboxCompleteRefund(`${paid}-R1`);
    expect((await orderOf(paid)).status).toBe('refunded');
    expect(await courseEntitlementOf(other, 'talk-meeting')).toMatchObject({ status: 'revoked' });
  });
});

describe('refunds that fail', () => {
  it('sends the order back with an incident when cloud pay refuses, and tries again under a new number', async () => {
    const staff = 'support';
    const me = learner();
    const id = await requested(me);
    // The trade was refunded meanwhile outside the product (the merchant platform), so nothing is left to refund.
    const pay = (cloud as unknown as { cloudPay: { refund(data: Record<string, unknown>): Promise<{ resultCode: string }> } }).cloudPay;
    expect((await pay.refund({ subMchId: SUB_MCH_ID, nonceStr: randomUUID().replace(/-/g, ''), outTradeNo: id, outRefundNo: `M${Date.now()}`, totalFee: PRICE, refundFee: PRICE })).resultCode).toBe('SUCCESS');

    const approved = await review(staff, id, true);
    expect(approved.data).toMatchObject({
      outcome: 'returned',
      order: { status: 'paid', refund: { outRefundNo: `${id}-R1`, failure: { detail: '申请退款金额超过订单可退金额' } } },
    });
    const order = await orderOf(id);
    expect(order.history.slice(-2).map((h) => [h.from, h.to])).toEqual([
      ['refundRequested', 'refunding'],
      ['refunding', 'paid'],
    ]);
    expect(await incidentsOf(id)).toEqual([expect.objectContaining({ kind: 'refundFailed', openid: me, status: 'open', detail: expect.stringContaining('申请退款金额超过订单可退金额') })]);
    expect(await lessonAccess(me, PAID_LESSON)).toBe('purchased');
    expect((await myOrder(me, id)).data.order.refund).toMatchObject({ eligible: false, ineligibleReason: '退款未能完成，客服会与你联系' });

    const retried = await review(staff, id, true);
    expect(retried.data).toMatchObject({ outcome: 'returned', order: { status: 'paid', refund: { outRefundNo: `${id}-R2` } } });
    expect((await orderOf(id)).refund).toMatchObject({ outRefundNo: `${id}-R2`, attempt: 2 });
  });

  it('sends the order back when the refund callback reports the refund closed; a replay changes nothing', async () => {
    const me = learner();
    const { id, refund } = await approvedRequest(me);

    expect(await failRefund(id)).toEqual(['returned']);
    expect(await orderOf(id)).toMatchObject({ status: 'paid', refund: { failure: { outRefundNo: `${id}-R1`, detail: 'refundStatus REFUNDCLOSE' } } });
    expect(await incidentsOf(id)).toEqual([expect.objectContaining({ kind: 'refundFailed' })]);
    expect((await callFunction('refundNotify', refundEvent(refund, 'REFUNDCLOSE'))).result).toEqual({ errcode: 0, errmsg: 'replay' });
    expect((await orderOf(id)).history.filter((h) => h.from === 'refunding')).toHaveLength(1);
    expect(await lessonAccess(me, PAID_LESSON)).toBe('purchased');
  });

  it('applies nothing for a refund callback cloud pay did not send: the refund is still processing there', async () => {
    const me = learner();
    const { id, refund } = await approvedRequest(me);
    const done = { ...refund, successTime: '2026-12-06 12:00:00' };
    // Invoked as the platform (another function, an admin script): a refund done, then one closed.
    expect((await callFunction('refundNotify', refundEvent(done, 'SUCCESS'))).result).toEqual({ errcode: 0, errmsg: 'unconfirmed' });
    expect((await callFunction('refundNotify', refundEvent(refund, 'REFUNDCLOSE'))).result).toEqual({ errcode: 0, errmsg: 'unconfirmed' });
    // Nor does this refund's number under another order's.
    const elsewhere = `O${randomUUID().replace(/-/g, '').slice(0, 31)}`;
    expect((await callFunction('refundNotify', refundEvent({ ...done, outTradeNo: elsewhere }, 'SUCCESS'))).result).toEqual({ errcode: 0, errmsg: 'unconfirmed' });
    expect(await incidentsOf(elsewhere)).toEqual([expect.objectContaining({ kind: 'suspiciousEvent' })]);
    expect((await orderOf(id)).status).toBe('refunding');
    expect(await lessonAccess(me, PAID_LESSON)).toBe('purchased');
    expect(await incidentsOf(id)).toEqual([expect.objectContaining({ kind: 'suspiciousEvent', provider: 'cloudPay' })]);

    expect((await completeRefund(id)).answers).toEqual(['refunded']);
    expect(await lessonAccess(me, PAID_LESSON)).toBe('locked');
  });

  it('refuses the refund callback from a learner', async () => {
    const me = learner();
    const { id, refund } = await approvedRequest(me);
    const forged = await callAs<{ errcode: number }>(me, 'refundNotify', refundEvent({ ...refund, successTime: '2026-01-01 12:00:00' }, 'SUCCESS'));
    expect(forged.body.result).toMatchObject({ errcode: 403 });
    expect(forged.dbRequests).toBe(0);
    expect((await orderOf(id)).status).toBe('refunding');
    expect(await lessonAccess(me, PAID_LESSON)).toBe('purchased');
    await sandboxCompleteRefund(`${id}-R1`);
  });
});

describe('settleOrders and refunds', () => {
  it('completes a refund whose callback was lost, and waits for one cloud pay is still processing', async () => {
    const staff = 'support';
    const [lostBuyer, slowBuyer] = [learner(), learner()];
    const lost = await requested(lostBuyer);
    const slow = await requested(slowBuyer);
    await review(staff, lost, true);
    await review(staff, slow, true);
    // The refund reaches the learner, but its notification never arrives; the other is not done yet.
    expect((await sandboxCompleteRefund(`${lost}-R1`, { deliver: false })).status).toBe(200);
    for (const id of [lost, slow]) await setRequestedAt(id, new Date(Date.now() - RECONCILE_AFTER_MS - 60_000));

    const { report } = await fireSettleOrders();
    expect(report.refunds.refunded).toBeGreaterThanOrEqual(1);
    expect(report.refunds.processing).toBeGreaterThanOrEqual(1);
    expect(report.refunds.failed).toBe(0);
    expect(await orderOf(lost)).toMatchObject({ status: 'refunded', refund: { refundId: expect.any(String) } });
    expect(await courseEntitlementOf(lostBuyer, COURSE)).toMatchObject({ status: 'revoked' });
    expect(await lessonAccess(lostBuyer, PAID_LESSON)).toBe('locked');
    expect((await orderOf(slow)).status).toBe('refunding');
    expect(await lessonAccess(slowBuyer, PAID_LESSON)).toBe('purchased');

    // The lost callback arriving late is a replay.
    const [refund] = await refundsOf(lost);
    expect((await callFunction('refundNotify', refundEvent(refund!, 'SUCCESS'))).result).toEqual({ errcode: 0, errmsg: 'replay' });
    expect((await orderOf(lost)).history.filter((h) => h.to === 'refunded')).toHaveLength(1);

    // The slow one completes by its callback; the next run has nothing of these left.
    await sandboxCompleteRefund(`${slow}-R1`);
    expect((await orderOf(slow)).status).toBe('refunded');
  });

  it('asks cloud pay again for an approved refund it never received', async () => {
    const staff = 'support';
    const me = learner();
    const id = await requested(me);
    // Data setup: the approval as reviewRefund commits it, left there as if the function had died before
    // asking cloud pay.
    const at = new Date(Date.now() - RECONCILE_AFTER_MS - 60_000);
    await db.collection('orders').doc(id).update({
      data: {
        status: 'refunding',
        refund: { requestedAt: at, decision: { by: uidOf(staff), at, approved: true } },
        history: db.command.push([{ from: 'refundRequested', to: 'refunding', at, reason: 'refund approved by staff' }]),
      },
    });
    expect(await refundsOf(id)).toEqual([]);

    const { report } = await fireSettleOrders();
    expect(report.refunds.resubmitted).toBeGreaterThanOrEqual(1);
    expect(await refundsOf(id)).toEqual([expect.objectContaining({ outRefundNo: `${id}-R1`, refundFee: PRICE, status: 'PROCESSING' })]);
    await sandboxCompleteRefund(`${id}-R1`);
    expect((await orderOf(id)).status).toBe('refunded');
    expect(await lessonAccess(me, PAID_LESSON)).toBe('locked');
  });
});
