import type { GetDashboardResponse } from '../../domain/contracts/dashboard';
import { beijingDay, type CountedWatermark, type DayStats } from '../../domain/dashboard/stats';
import type { LessonView } from '../../domain/contracts/catalog';
import type { SaveProgressResponse } from '../../domain/contracts/learning';
import type { LessonProgress, ProgressState } from '../../domain/learning/model';
import { hashOf, progressId } from '../../domain/learning/progress';
import type { Order } from '../../domain/orders/model';
import { buy, call, completeRefund, ok, requestRefund, review } from '../support/commerce';
import { ownEmulatorForFile } from '../support/own-emulator';
import { connectSdk } from '../support/sdk';
import { callAsStaff, staffOk } from '../support/staff';

/**
 * The console's dashboard (issue 11): revenue, orders and refunds by day, sales and completion by course,
 * active and new learners, from the counters `countStats` keeps (domain/dashboard/stats.ts), plus what
 * happened since it last ran. Its own emulator: the figures of a day are exact only where no other test
 * file buys at the same time.
 */
const COURSE = 'excel-basics';
const LESSONS = 12;
const LESSON = 'excel-basics-03';

const db = () => connectSdk().database();
const dashboard = (days: 7 | 30 | 90 = 7) => staffOk<GetDashboardResponse>('owner', 'getDashboard', { days });
const today = (d: GetDashboardResponse) => d.revenueByDay[d.revenueByDay.length - 1]!;
const courseSales = (d: GetDashboardResponse) => d.salesByCourse.find((c) => c.courseId === COURSE);
const completion = (d: GetDashboardResponse) => d.completionByCourse.find((c) => c.courseId === COURSE);

describe('getDashboard', () => {
  const { post } = ownEmulatorForFile('dashboard');
  const fireCountStats = () => post('/__emulator/timers/countStats/every10Minutes/fire', {});

  /**
   * Data setup, not a mock: everything stamped so far (these orders and learners, and the watermark) happened
   * `minutes` earlier, as in catalog-views.test.ts.
   */
  async function minutesPass(minutes: number, orderIds: string[], learners: string[]) {
    const earlier = (at: Date) => new Date(at.getTime() - minutes * 60_000);
    for (const id of orderIds) {
      const { data } = await db().collection<Order>('orders').doc(id).get();
      await db()
        .collection('orders')
        .doc(id)
        .update({ data: { paidAt: earlier(data.paidAt!), ...(data.refund?.refundedAt ? { refund: { refundedAt: earlier(data.refund.refundedAt) } } : {}) } });
    }
    for (const openid of learners) {
      const { data } = await db().collection<{ createdAt: Date }>('users').doc(openid).get();
      await db().collection('users').doc(openid).update({ data: { createdAt: earlier(data.createdAt) } });
    }
    const counted = (await db().collection<CountedWatermark>('stats').where({ _id: 'counted' }).get()).data[0];
    if (counted) await db().collection('stats').doc('counted').update({ data: { countedUntil: earlier(counted.countedUntil) } });
  }

  /** The learner studies `lessonId` to the end through saveProgress, opened 20 minutes ago (so the wall clock allows it). */
  async function studyToTheEnd(openid: string, lessonId: string) {
    const opened = await ok<LessonView>(openid, 'getLesson', { lessonId });
    const durationSec = opened.data.progress!.state.durationSec;
    const { data: record } = await db().collection<LessonProgress>('progress').doc(progressId(openid, lessonId)).get();
    const state: ProgressState = {
      rev: record.rev,
      ranges: record.ranges,
      openedAt: record.openedAt - 20 * 60_000,
      accessUntil: record.accessUntil,
      courseId: record.courseId,
      durationSec: record.durationSec,
    };
    await db().collection('progress').doc(progressId(openid, lessonId)).update({ data: { openedAt: state.openedAt, stateHash: hashOf(openid, lessonId, state) } });
    const saved = await ok<SaveProgressResponse>(openid, 'saveProgress', { lessonId, ranges: [[0, durationSec]], positionSec: durationSec, state });
    expect(saved.data.completed).toBe(true);
  }

  /** Data setup: the other lessons of the course completed, as saveProgress records them. */
  async function completedOtherLessons(openid: string, except: string) {
    for (let i = 1; i <= LESSONS; i++) {
      const lessonId = `${COURSE}-${String(i).padStart(2, '0')}`;
      if (lessonId === except) continue;
      await db()
        .collection('progress')
        .add({ data: { _id: progressId(openid, lessonId), openid, courseId: COURSE, lessonId, completed: true, completedAt: new Date(), updatedAt: new Date() } });
    }
  }

  it('shows the exact money, orders, refunds, sales, completion and learners, in the same DB requests whatever the number of orders', async () => {
    const empty = await dashboard();
    expect(empty.data.revenueByDay).toHaveLength(7);
    expect(today(empty.data)).toMatchObject({ revenue: 0, orders: 0, refunds: 0, refundAmount: 0 });
    expect(courseSales(empty.data)).toMatchObject({ sales: 0, revenue: 0, salesAllTime: expect.any(Number) });

    const learners = ['o-dash-1', 'o-dash-2', 'o-dash-3'];
    for (const openid of learners) await ok(openid, 'login');
    const orderIds: string[] = [];
    for (const openid of learners) orderIds.push(await buy(openid, { courseId: COURSE }));
    const price = (await db().collection<Order>('orders').doc(orderIds[0]!).get()).data.amount;
    expect(price).toBeGreaterThan(0);

    // One refunded: asked, approved by support, completed at cloud pay.
    const refunded = orderIds[2]!;
    expect((await requestRefund('o-dash-3', refunded)).reply.ok).toBe(true);
    await review('support', refunded, true);
    await completeRefund(refunded);
    // One learner studies the whole course: one lesson through the player, the others already done.
    await completedOtherLessons('o-dash-1', LESSON);
    await studyToTheEnd('o-dash-1', LESSON);

    const expectFigures = (d: GetDashboardResponse) => {
      expect(today(d)).toEqual({ day: beijingDay(new Date()), revenue: 3 * price, orders: 3, refunds: 1, refundAmount: price });
      expect(d.totals).toEqual({ revenue: 3 * price, orders: 3, refunds: 1, refundAmount: price, netRevenue: 2 * price });
      expect(courseSales(d)).toMatchObject({ title: expect.any(String), sales: 3, revenue: 3 * price, refunds: 1, refundAmount: price });
      expect(d.newLearners.byDay[d.newLearners.byDay.length - 1]).toEqual({ day: beijingDay(new Date()), count: 3 });
      expect(d.newLearners.total).toBe(3);
      expect(d.activeLearners).toEqual(active);
    };
    // The demo school's learners logged in at fixed dates: count them as the dashboard should.
    const since = (days: number) => db().collection('users').where({ lastLoginAt: db().command.gte(new Date(Date.now() - days * 86_400_000)) }).count();
    const active = { d7: (await since(7)).total, d30: (await since(30)).total };
    expect(active.d7).toBeGreaterThanOrEqual(3);

    // Before the timer ever ran: all of it live.
    const live = await dashboard();
    expectFigures(live.data);
    expect(completion(live.data)).toBeUndefined();
    expect(live.dbRequests).toBe(empty.dbRequests);

    // The timer counts the course tallies now; the payments are less than a minute old, so they stay live.
    await fireCountStats();
    const tallied = await dashboard();
    expectFigures(tallied.data);
    expect(completion(tallied.data)).toEqual({ courseId: COURSE, title: expect.any(String), lessonCount: LESSONS, enrolled: 2, completed: 1, rate: 0.5 });
    expect(tallied.data.coursesCountedAt).not.toBeNull();

    // Two minutes later the timer counts them into the day's document: the same figures, now from the counter.
    await minutesPass(2, orderIds, learners);
    await fireCountStats();
    const counted = await dashboard(30);
    expectFigures(counted.data);
    expect(counted.data.revenueByDay).toHaveLength(30);
    const dayDoc = (await db().collection<DayStats>('stats').doc(beijingDay(new Date())).get()).data;
    expect(dayDoc).toMatchObject({ revenue: 3 * price, orders: 3, refunds: 1, refundAmount: price, newLearners: 3, courses: { [COURSE]: { sales: 3, revenue: 3 * price, refunds: 1, refundAmount: price } } });
    // Run again (or twice at once): nothing counts twice.
    await Promise.all([fireCountStats(), fireCountStats()]);
    expectFigures((await dashboard()).data);

    // More orders, live and counted: the same DB requests.
    const more = ['o-dash-4', 'o-dash-5', 'o-dash-6', 'o-dash-7'];
    const moreIds: string[] = [];
    for (const openid of more) moreIds.push(await buy(openid, { courseId: 'talk-meeting' }));
    const after = await dashboard();
    expect(after.data.totals.orders).toBe(7);
    expect(after.data.salesByCourse.find((c) => c.courseId === 'talk-meeting')).toMatchObject({ sales: 4 });
    await minutesPass(2, [...orderIds, ...moreIds], learners);
    await fireCountStats();
    const afterCounted = await dashboard();
    expect(afterCounted.data.totals.orders).toBe(7);
    console.log(`DB requests of getDashboard: ${empty.dbRequests} (no orders), ${after.dbRequests} (7 orders), ${afterCounted.dbRequests} (counted)`);
    expect([live.dbRequests, tallied.dbRequests, counted.dbRequests, after.dbRequests, afterCounted.dbRequests]).toEqual(Array(5).fill(empty.dbRequests));
    expect(empty.dbRequests).toBe(7);

    // Rebuilt from the ledger: the counters removed, the next run counts everything again, once.
    const { data: docs } = await db().collection('stats').limit(100).get();
    for (const doc of docs) await db().collection('stats').doc(doc._id).remove();
    await fireCountStats();
    await fireCountStats();
    const rebuilt = await dashboard();
    expect(rebuilt.data.totals).toEqual(afterCounted.data.totals);
    expect(rebuilt.data.salesByCourse).toEqual(afterCounted.data.salesByCourse);
    expect(rebuilt.data.completionByCourse).toEqual(afterCounted.data.completionByCourse);
    expect(rebuilt.data.newLearners).toEqual(afterCounted.data.newLearners);
  });

  it('is refused to a teacher (the role table), to a learner, and for a period it does not offer', async () => {
    expect((await callAsStaff('teacher', 'getDashboard', { days: 7 })).reply).toEqual({ ok: false, code: 'FORBIDDEN', message: '无权操作' });
    expect((await callAsStaff('editor', 'getDashboard', { days: 30 })).reply.ok).toBe(true);
    expect((await callAsStaff('support', 'getDashboard', {})).reply).toMatchObject({ ok: true, data: { days: 7 } });
    expect((await call('o-dash-1', 'getDashboard', { days: 7 })).reply).toEqual({ ok: false, code: 'FORBIDDEN', message: '无权操作' });
    expect((await callAsStaff('owner', 'getDashboard', { days: 14 })).reply).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
    // countStats is the platform's: a learner cannot run it.
    expect((await call('o-dash-1', 'countStats', {})).reply).toEqual({ ok: false, code: 'FORBIDDEN', message: '无权调用' });
  });
});
