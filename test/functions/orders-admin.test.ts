import type { Course } from '../../domain/catalog/model';
import type { GetLearnerResponse, SearchLearnersResponse } from '../../domain/contracts/learners';
import type { LessonView } from '../../domain/contracts/catalog';
import type { ExportOrdersResponse, GetOrderAdminResponse, ListIncidentsResponse, ListOrdersResponse, ResolveIncidentResponse } from '../../domain/contracts/orders-admin';
import type { Reply } from '../../domain/contracts/result';
import { buy, ok, placeOrder, requestRefund, review, sandboxPay } from '../support/commerce';
import { connectSdk, uniqueName } from '../support/sdk';
import { callAsStaff, staffOk, uidOf } from '../support/staff';

/**
 * The console's Orders and Learners screens (issue 11): listOrders, getOrderAdmin, exportOrders,
 * listIncidents, resolveIncident, searchLearners and getLearner, called as staff through the web SDK's
 * requests, after orders placed by the real createOrder and paid in cloud pay's sandbox. Other files share
 * the emulator, so each test filters by its own learners and checks that every row answers the filter.
 */
const db = connectSdk().database();

const BASICS = 'excel-basics';
const ADVANCED = 'excel-advanced';
const PRICE = 990;
const PAID_LESSON = 'excel-basics-03';
/** A paid course the demo teacher teaches (database/demo/staff.jsonl) besides BASICS. */
const TAUGHT = 'pen-camp';

const learner = () => uniqueName('o-admin');

/** Data setup, not a mock: the order placed at `createdAt`, as if placed then. */
const setCreatedAt = (orderId: string, createdAt: Date) => db.collection('orders').doc(orderId).update({ data: { createdAt } });

/** A learner who logged in and chose a nickname of their own. */
async function signedUp(openid: string, nickname: string) {
  await ok(openid, 'login');
  await ok(openid, 'updateProfile', { nickname });
}

const listOrders = (filters: Record<string, unknown>) => staffOk<ListOrdersResponse>('support', 'listOrders', filters);
const idsOf = (page: ListOrdersResponse) => page.orders.map((o) => o.id);

describe('listOrders', () => {
  it('finds orders by learner, course, status, Beijing day and number, newest first, in 3 requests', async () => {
    const me = learner();
    const other = learner();
    await signedUp(me, `管理测试${me.slice(-6)}`);
    const paid = await buy(me, { courseId: BASICS });
    const pending = (await placeOrder(me, { courseId: ADVANCED })).data.order.id;
    const othersPaid = await buy(other, { courseId: BASICS });

    // By learner: newest first, with what a row shows.
    const mine = await listOrders({ openid: me });
    expect(idsOf(mine.data)).toEqual([pending, paid]);
    expect(mine.data.hasMore).toBe(false);
    expect(mine.data.orders[1]).toEqual({
      id: paid,
      openid: me,
      nickname: `管理测试${me.slice(-6)}`,
      item: { kind: 'course', title: 'Excel 零基础到高效办公', courseId: BASICS },
      amount: PRICE,
      status: 'paid',
      rail: 'cloudPay',
      createdAt: expect.any(String),
      paidAt: expect.any(String),
    });
    // The role check, the page, the page's nicknames: whatever the filter.
    expect(mine.dbRequests).toBe(3);

    // By course (and today): both learners' paid orders of it, never the other course's.
    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    const byCourse = await listOrders({ courseId: BASICS, from: today, to: today, pageSize: 20 });
    expect(byCourse.dbRequests).toBeLessThanOrEqual(3);
    expect(byCourse.data.orders.every((o) => o.item.courseId === BASICS)).toBe(true);
    if (!byCourse.data.hasMore) expect(idsOf(byCourse.data)).toEqual(expect.arrayContaining([paid, othersPaid]));
    expect(idsOf(byCourse.data)).not.toContain(pending);

    // By status.
    expect(idsOf((await listOrders({ openid: me, status: 'pending' })).data)).toEqual([pending]);
    const paidOnes = (await listOrders({ status: 'paid', courseId: BASICS, pageSize: 20 })).data;
    expect(paidOnes.orders.every((o) => o.status === 'paid' && o.item.courseId === BASICS)).toBe(true);

    // By Beijing day: 2026-03-01 16:30 UTC is 00:30 on 2 March in Beijing.
    await setCreatedAt(paid, new Date('2026-03-01T16:30:00Z'));
    expect(idsOf((await listOrders({ openid: me, from: '2026-03-02', to: '2026-03-02' })).data)).toEqual([paid]);
    expect(idsOf((await listOrders({ openid: me, to: '2026-03-01' })).data)).toEqual([]);
    expect(idsOf((await listOrders({ openid: me, from: '2026-03-03' })).data)).toEqual([pending]);

    // By number, and paging.
    expect(idsOf((await listOrders({ orderNumber: paid })).data)).toEqual([paid]);
    const first = await listOrders({ openid: me, pageSize: 1 });
    expect(first.data).toMatchObject({ page: 1, hasMore: true });
    expect(idsOf((await listOrders({ openid: me, page: 2, pageSize: 1 })).data)).toEqual([paid]);

    expect((await callAsStaff('support', 'listOrders', { from: '2026-03-05', to: '2026-03-01' })).reply).toMatchObject({ ok: false, code: 'INVALID_INPUT', message: expect.stringContaining('开始日期不能晚于结束日期') });
    expect((await callAsStaff('support', 'listOrders', { from: '2026/03/05' })).reply).toMatchObject({ ok: false, code: 'INVALID_INPUT', message: expect.stringContaining('YYYY-MM-DD') });
  });

  it('is refused to an editor and a teacher (FORBIDDEN), with the other order functions', async () => {
    for (const name of ['listOrders', 'getOrderAdmin', 'exportOrders', 'listIncidents', 'resolveIncident']) {
      for (const account of ['editor', 'teacher'] as const) {
        expect(`${name} ${account} ${JSON.stringify((await callAsStaff(account, name, { orderId: 'x' })).reply)}`).toBe(`${name} ${account} ${JSON.stringify({ ok: false, code: 'FORBIDDEN', message: '无权操作' })}`);
      }
    }
  });
});

describe('getOrderAdmin', () => {
  it("shows an order's whole history: status changes, the payment, the refund asked for and refused, and the audit entry", async () => {
    const me = learner();
    const id = await buy(me, { courseId: BASICS });
    expect((await requestRefund(me, id)).reply.ok).toBe(true);
    await review('support', id, false, '已学习较多内容');

    const { data, dbRequests } = await staffOk<GetOrderAdminResponse>('owner', 'getOrderAdmin', { orderId: id });
    // The role, then the order, its incidents and its audit entries at once, then the nickname.
    expect(dbRequests).toBe(5);
    expect(data.order).toMatchObject({ id, openid: me, status: 'paid', amount: PRICE, rail: 'cloudPay', itemDetail: { kind: 'course', courseId: BASICS, refundRule: expect.anything() } });
    expect(data.order.payment).toMatchObject({ amount: PRICE, transactionId: expect.any(String) });
    expect(data.order.refund).toMatchObject({ reason: '内容和预期不一样', requestedBy: 'learner', decision: { approved: false, by: uidOf('support'), note: '已学习较多内容' } });
    expect(data.history.map((h) => [h.from, h.to])).toEqual([
      [null, 'pending'],
      ['pending', 'paid'],
      ['paid', 'refundRequested'],
      ['refundRequested', 'paid'],
    ]);
    expect(data.incidents).toEqual([]);
    expect(data.audit).toEqual([expect.objectContaining({ action: 'refunds.review', by: { uid: uidOf('support'), name: expect.any(String) }, target: { kind: 'order', id } })]);

    expect((await callAsStaff('owner', 'getOrderAdmin', { orderId: 'no-such-order' })).reply).toEqual({ ok: false, code: 'NOT_FOUND', message: '订单不存在' });
  });

  it("lists an order's incidents, which staff resolve once, recorded in the order's audit", async () => {
    const buyer = learner();
    // Two orders of one course, both paid: the second payment buys nothing (alreadyOwned).
    const first = (await placeOrder(buyer, { courseId: BASICS })).data.order.id;
    await ok(buyer, 'cancelOrder', { orderId: first });
    const second = (await placeOrder(buyer, { courseId: BASICS })).data.order.id;
    await sandboxPay(second);
    await sandboxPay(first, { force: true });

    const before = (await staffOk<GetOrderAdminResponse>('support', 'getOrderAdmin', { orderId: first })).data;
    expect(before.order.status).toBe('needsRefund');
    expect(before.incidents).toEqual([expect.objectContaining({ id: `${first}:alreadyOwned`, kind: 'alreadyOwned', openid: buyer, status: 'open' })]);
    const open = (await staffOk<ListIncidentsResponse>('support', 'listIncidents', { pageSize: 20 })).data;
    expect(open.incidents.every((i) => i.status === 'open')).toBe(true);

    const resolved = await staffOk<ResolveIncidentResponse>('support', 'resolveIncident', { incidentId: `${first}:alreadyOwned`, note: '已退款给学员' });
    expect(resolved.data).toMatchObject({ alreadyResolved: false, incident: { status: 'resolved', resolveNote: '已退款给学员', resolvedBy: { uid: uidOf('support') } } });
    expect((await staffOk<ResolveIncidentResponse>('support', 'resolveIncident', { incidentId: `${first}:alreadyOwned`, note: '再次处理' })).data.alreadyResolved).toBe(true);

    const after = (await staffOk<GetOrderAdminResponse>('support', 'getOrderAdmin', { orderId: first })).data;
    expect(after.incidents).toEqual([expect.objectContaining({ status: 'resolved', resolveNote: '已退款给学员' })]);
    expect(after.audit).toEqual([expect.objectContaining({ action: 'incidents.resolve', summary: '处理异常（alreadyOwned）：已退款给学员' })]);
    expect((await callAsStaff('support', 'resolveIncident', { incidentId: 'nothing:amountMismatch', note: '无' })).reply).toEqual({ ok: false, code: 'NOT_FOUND', message: '异常记录不存在' });
  });
});

describe('exportOrders', () => {
  it('answers a CSV Excel reads: BOM, a Chinese header, a row per order, amounts in yuan and Beijing times', async () => {
    const me = learner();
    await signedUp(me, `导出测试,"引号"`);
    const paid = await buy(me, { courseId: BASICS });
    const { id: pending, amount } = (await placeOrder(me, { courseId: ADVANCED })).data.order;
    await setCreatedAt(paid, new Date('2026-03-01T16:30:00Z'));
    await db.collection('orders').doc(paid).update({ data: { paidAt: new Date('2026-03-01T16:31:05Z') } });

    const { data } = await staffOk<ExportOrdersResponse>('owner', 'exportOrders', { openid: me });
    expect(data).toMatchObject({ rows: 2, truncated: false, filename: expect.stringMatching(/^订单导出-\d{8}-\d{4}\.csv$/) });
    expect(data.message).toBeUndefined();
    expect(data.csv.startsWith('\uFEFF')).toBe(true);
    const lines = data.csv.slice(1).split('\r\n');
    expect(lines).toHaveLength(4); // header, two rows, the empty end of the last line
    expect(lines[0]).toBe('订单号,学员编号,学员昵称,类型,商品,金额（元）,状态,支付方式,下单时间,支付时间');
    expect(lines[1]).toMatch(new RegExp(`^${pending},${me},"导出测试,""引号""",课程,Excel 数据透视与函数进阶,${(amount / 100).toFixed(2).replace('.', '\\.')},待支付,微信支付,\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2},$`));
    expect(lines[2]).toBe(`${paid},${me},"导出测试,""引号""",课程,Excel 零基础到高效办公,9.90,已支付,微信支付,2026-03-02 00:30:00,2026-03-02 00:31:05`);
    expect(lines[3]).toBe('');

    const none = (await staffOk<ExportOrdersResponse>('owner', 'exportOrders', { openid: me, status: 'refunded' })).data;
    expect(none).toMatchObject({ rows: 0, truncated: false });
    expect(none.csv).toBe('\uFEFF订单号,学员编号,学员昵称,类型,商品,金额（元）,状态,支付方式,下单时间,支付时间\r\n');
  });

  it('stops at 5,000 orders, newest first, each once across its pages, and says so', async () => {
    // Data setup: 5,001 closed orders of a course no other test orders, three per millisecond, so the
    // export's pages of 1,000 end inside a millisecond's orders.
    const buyer = learner();
    const base = Date.parse('2026-05-01T00:00:00Z');
    const orders = Array.from({ length: 5001 }, (_, i) => ({
      _id: `${buyer}-${String(i).padStart(4, '0')}`,
      outTradeNo: `${buyer}-${String(i).padStart(4, '0')}`,
      openid: buyer,
      clientRequestKey: `cap-${i}`,
      item: { kind: 'course', courseId: 'export-cap-test', title: '导出上限测试' },
      amount: 100,
      status: 'closed',
      provider: 'cloudPay',
      createdAt: new Date(base + Math.floor(i / 3)),
      history: [],
    }));
    for (let i = 0; i < orders.length; i += 1000) await db.collection('orders').add({ data: orders.slice(i, i + 1000) });

    const { data, dbRequests } = await staffOk<ExportOrdersResponse>('owner', 'exportOrders', { openid: buyer });
    expect(data).toMatchObject({ rows: 5000, truncated: true, message: '符合条件的订单超过 5000 条，仅导出最新的 5000 条，请缩小日期范围后分批导出' });
    const ids = data.csv.slice(1).split('\r\n').slice(1, -1).map((line) => line.split(',')[0]);
    expect(new Set(ids).size).toBe(5000);
    // Newest first: the oldest order is the one left out.
    expect(ids[0]).toBe(`${buyer}-5000`);
    expect(ids).not.toContain(`${buyer}-0000`);
    // The role, then a page and its nicknames per 1,000 (6 pages: each next one re-reads its first millisecond).
    expect(dbRequests).toBe(13);
  });
});

describe('learners', () => {
  it('finds a learner by nickname or openid prefix, and shows their purchase, orders and progress in 6 requests', async () => {
    const me = learner();
    const nickname = `学习者${me.slice(-8)}`;
    await signedUp(me, nickname);
    const paid = await buy(me, { courseId: BASICS });
    const pending = (await placeOrder(me, { courseId: ADVANCED })).data.order.id;

    // Studied a lesson: opened (the record), then, as if played for a quarter of the course, completed.
    await ok<LessonView>(me, 'getLesson', { lessonId: PAID_LESSON });
    const course = (await db.collection<Course>('courses').doc(BASICS).get()).data;
    await db.collection('progress').doc(`${me}:${PAID_LESSON}`).update({ data: { watchedSec: course.durationSec / 4, completed: true } });

    for (const keyword of [nickname.slice(0, 7), nickname, me, me.slice(0, -2)]) {
      const found = await staffOk<SearchLearnersResponse>('support', 'searchLearners', { keyword, pageSize: 20 });
      expect(found.dbRequests).toBe(2);
      expect(found.data.learners).toEqual([{ openid: me, nickname, avatarUrl: '', createdAt: expect.any(String), lastLoginAt: expect.any(String) }]);
    }
    expect((await staffOk<SearchLearnersResponse>('support', 'searchLearners', { keyword: me.slice(1) })).data.learners).toEqual([]);
    // No keyword: the most recently seen first.
    const recent = (await staffOk<SearchLearnersResponse>('teacher', 'searchLearners', { pageSize: 20 })).data.learners;
    expect(recent.map((l) => l.lastLoginAt)).toEqual([...recent.map((l) => l.lastLoginAt)].sort().reverse());

    const { data, dbRequests } = await staffOk<GetLearnerResponse>('support', 'getLearner', { openid: me });
    // The role, then the profile, entitlements, orders and lesson records at once, then the courses' titles.
    expect(dbRequests).toBe(6);
    expect(data.profile).toMatchObject({ openid: me, nickname });
    expect(data.entitlements).toEqual([
      { kind: 'course', courseId: BASICS, courseTitle: 'Excel 零基础到高效办公', status: 'active', source: { kind: 'order', orderId: paid }, grantedAt: expect.any(String) },
    ]);
    expect(data.orders!.map((o) => [o.id, o.status, o.nickname])).toEqual([
      [pending, 'pending', nickname],
      [paid, 'paid', nickname],
    ]);
    expect(data.hasMoreOrders).toBe(false);
    expect(data.progress).toEqual([
      { courseId: BASICS, courseTitle: 'Excel 零基础到高效办公', lessonCount: course.lessonCount, completedLessons: 1, percent: 25, lastStudiedAt: expect.any(String) },
    ]);

    // A staff grant shows its source too (of a course the demo teacher teaches: a teacher sees only theirs).
    await staffOk('support', 'grantCourse', { openid: me, courseId: TAUGHT, note: '合作伙伴赠送' });
    const asTeacher = (await staffOk<GetLearnerResponse>('teacher', 'getLearner', { openid: me })).data;
    expect(asTeacher.entitlements[0]).toMatchObject({ courseId: TAUGHT, source: { kind: 'admin', by: uidOf('support') }, status: 'active' });
    // A teacher follows learners' studies, not their money: the role table keeps orders from them.
    expect(asTeacher.orders).toBeUndefined();
  });

  it('answers an openid that never logged in without a profile, and refuses an editor', async () => {
    const stranger = learner();
    expect((await staffOk<GetLearnerResponse>('owner', 'getLearner', { openid: stranger })).data).toEqual({ profile: null, entitlements: [], orders: [], hasMoreOrders: false, progress: [] });
    const refused = (r: Reply<unknown>) => expect(r).toEqual({ ok: false, code: 'FORBIDDEN', message: '无权操作' });
    refused((await callAsStaff('editor', 'getLearner', { openid: stranger })).reply);
    refused((await callAsStaff('editor', 'searchLearners', {})).reply);
  });
});
