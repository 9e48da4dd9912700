import { readIfExists, type Aggregate, type Database } from '../../server/database';
import { ENTITLEMENTS } from '../access/entitlements';
import { COURSES } from '../catalog/courses';
import { SALES_LAG_MS } from '../catalog/sales';
import { PROGRESS } from '../learning/progress';
import { ORDERS } from '../orders/model';
import { USERS } from '../users/profile';

/**
 * The dashboard's counters, in the `stats` collection:
 * - one document per Beijing day (`_id` = `YYYY-MM-DD`): the money and orders of that day, and the learners
 *   who joined, counted by `countStats` from the ledger (orders' `paidAt`, `refund.refundedAt`; users'
 *   `createdAt`) a window at a time behind a watermark, as the sales counters are (domain/catalog/sales.ts);
 * - `counted`: the watermark, until when the days are counted;
 * - `courses`: each course's learners enrolled and learners who completed it, recounted by each run.
 * Nothing on the purchase, refund, login or progress path writes here: none of them pays a request for it,
 * and no payment waits on a hot counter document.
 */
export const STATS = 'stats';
export const COUNTED = 'counted';
export const COURSE_TALLIES = 'courses';

/** What one course made in a day: paid orders (course and gift orders) and their refunds, fen. */
export interface CourseDay {
  sales: number;
  revenue: number;
  refunds: number;
  refundAmount: number;
}

/** A day's figures: money in fen, counts of orders. Memberships count in the day's totals, in no course. */
export interface DayFigures {
  /** fen paid by the orders paid that day */
  revenue: number;
  /** orders paid that day */
  orders: number;
  /** paid orders refunded that day (money that bought nothing and went back does not count either way) */
  refunds: number;
  /** fen refunded that day */
  refundAmount: number;
  /** learners whose first login was that day */
  newLearners: number;
  courses: Record<string, CourseDay>;
}

export interface DayStats extends DayFigures {
  /** `YYYY-MM-DD`, Beijing time; also the `_id` */
  day: string;
}

export interface CountedWatermark {
  countedUntil: Date;
}

export interface CourseTallies {
  countedAt: Date;
  /** learners holding the course now (active course entitlements), and learners who completed all its lessons */
  courses: Record<string, { enrolled: number; completed: number }>;
}

const BEIJING_OFFSET_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;

/** The Beijing day of `at`, `YYYY-MM-DD`. */
export const beijingDay = (at: Date) => new Date(at.getTime() + BEIJING_OFFSET_MS).toISOString().slice(0, 10);
/** When the Beijing day `day` starts. */
export const dayStart = (day: string) => new Date(Date.parse(`${day}T00:00:00+08:00`));
/** The `count` Beijing days ending with `now`'s, oldest first. */
export const lastDays = (now: Date, count: number) =>
  Array.from({ length: count }, (_, i) => beijingDay(new Date(dayStart(beijingDay(now)).getTime() - (count - 1 - i) * DAY_MS)));

export const emptyFigures = (): DayFigures => ({ revenue: 0, orders: 0, refunds: 0, refundAmount: 0, newLearners: 0, courses: {} });
const emptyCourseDay = (): CourseDay => ({ sales: 0, revenue: 0, refunds: 0, refundAmount: 0 });

/** Adds `more` to `into` (in place). */
export function addFigures(into: DayFigures, more: DayFigures): DayFigures {
  into.revenue += more.revenue;
  into.orders += more.orders;
  into.refunds += more.refunds;
  into.refundAmount += more.refundAmount;
  into.newLearners += more.newLearners;
  for (const [courseId, c] of Object.entries(more.courses)) {
    const mine = (into.courses[courseId] ??= emptyCourseDay());
    mine.sales += c.sales;
    mine.revenue += c.revenue;
    mine.refunds += c.refunds;
    mine.refundAmount += c.refundAmount;
  }
  return into;
}

/** CloudBase answers at most this many results per aggregate request. */
const PAGE = 1000;

/**
 * Every group of an aggregate, a page of `PAGE` at a time in `sort` order: one request in the usual case (a
 * window of minutes holds a few (day, course) groups); more only for a window with more groups than a page,
 * such as the first count of a school with a long history.
 */
async function allGroups<T>(pipeline: () => Aggregate, sort: Record<string, 1 | -1>): Promise<T[]> {
  const groups: T[] = [];
  for (;;) {
    const { list } = await pipeline().sort(sort).skip(groups.length).limit(PAGE).end();
    groups.push(...(list as unknown as T[]));
    if (list.length < PAGE) return groups;
  }
}

/**
 * The figures of what happened in `window` (a condition on a date), by Beijing day: three aggregates at once
 * (payments, refunds, new learners), whatever the number of orders. Orders are grouped by (day, course):
 * the day's documents keep each course's share.
 */
export async function figuresOf(db: Database, window: unknown): Promise<Map<string, DayFigures>> {
  const _ = db.command;
  const $ = _.aggregate;
  const dayOf = (field: string) => $.dateToString({ date: $.add([field, BEIJING_OFFSET_MS]), format: '%Y-%m-%d' });
  const grouped = (collection: string, match: Record<string, unknown>, group: Record<string, unknown>) =>
    allGroups<{ _id: { day: string; courseId?: string | null }; n: number; amount: number }>(() => db.collection(collection).aggregate().match(match).group(group), {
      '_id.day': 1,
      '_id.courseId': 1,
    });
  const [paid, refunded, joined] = await Promise.all([
    grouped(ORDERS, { paidAt: window }, { _id: { day: dayOf('$paidAt'), courseId: '$item.courseId' }, n: $.sum(1), amount: $.sum('$amount') }),
    grouped(
      ORDERS,
      { 'refund.refundedAt': window, paidAt: _.exists(true) },
      { _id: { day: dayOf('$refund.refundedAt'), courseId: '$item.courseId' }, n: $.sum(1), amount: $.sum('$refund.amount') },
    ),
    grouped(USERS, { createdAt: window }, { _id: { day: dayOf('$createdAt') }, n: $.sum(1), amount: $.sum(0) }),
  ]);
  const days = new Map<string, DayFigures>();
  const dayFor = (day: string) => {
    let figures = days.get(day);
    if (!figures) days.set(day, (figures = emptyFigures()));
    return figures;
  };
  for (const { _id, n, amount } of paid) {
    const day = dayFor(_id.day);
    day.orders += n;
    day.revenue += amount;
    if (_id.courseId) {
      const c = (day.courses[_id.courseId] ??= emptyCourseDay());
      c.sales += n;
      c.revenue += amount;
    }
  }
  for (const { _id, n, amount } of refunded) {
    const day = dayFor(_id.day);
    day.refunds += n;
    day.refundAmount += amount;
    if (_id.courseId) {
      const c = (day.courses[_id.courseId] ??= emptyCourseDay());
      c.refunds += n;
      c.refundAmount += amount;
    }
  }
  for (const { _id, n } of joined) dayFor(_id.day).newLearners += n;
  return days;
}

/**
 * Each course's learners enrolled (an active course entitlement: bought, a claimed gift, a staff grant, a
 * free enrollment; members studying through their membership are not counted) and learners who completed
 * it (completed records for at least as many lessons as the course has now): recounted whole, three
 * requests at once, by the timer and never by a dashboard view.
 */
async function courseTallies(db: Database): Promise<CourseTallies['courses']> {
  const _ = db.command;
  const $ = _.aggregate;
  const [enrolled, completed, courses] = await Promise.all([
    allGroups<{ _id: string; n: number }>(() => db.collection(ENTITLEMENTS).aggregate().match({ kind: 'course', status: 'active' }).group({ _id: '$courseId', n: $.sum(1) }), { _id: 1 }),
    allGroups<{ _id: { courseId: string; lessons: number }; learners: number }>(
      () =>
        db
          .collection(PROGRESS)
          .aggregate()
          .match({ completed: true })
          .group({ _id: { openid: '$openid', courseId: '$courseId' }, lessons: $.sum(1) })
          .group({ _id: { courseId: '$_id.courseId', lessons: '$lessons' }, learners: $.sum(1) }),
      { '_id.courseId': 1, '_id.lessons': 1 },
    ),
    db.collection<{ lessonCount: number }>(COURSES).where({}).field({ lessonCount: true }).limit(PAGE).get(),
  ]);
  const lessonCount = new Map(courses.data.map((c) => [c._id, c.lessonCount]));
  const tallies: CourseTallies['courses'] = {};
  const of = (courseId: string) => (tallies[courseId] ??= { enrolled: 0, completed: 0 });
  for (const row of enrolled) if (row._id) of(row._id).enrolled += row.n;
  for (const row of completed) {
    const total = lessonCount.get(row._id.courseId);
    if (total && row._id.lessons >= total) of(row._id.courseId).completed += row.learners;
  }
  return tallies;
}

/**
 * Counts into the day documents what happened in (countedUntil, now - lag] (the lag as for the sales
 * counters: `paidAt` is stamped a moment before its transaction commits), then moves the days, the course
 * tallies and the watermark in one transaction that first checks the watermark is still where the window
 * started: each payment, refund and new learner counts once, whatever runs overlap. The first run (no
 * watermark) counts everything up to then: that is also how the counters are rebuilt from the ledger
 * (remove the `stats` documents, then run it).
 */
export async function countStats(db: Database, now: Date): Promise<{ days: number; counted: boolean }> {
  const until = new Date(now.getTime() - SALES_LAG_MS);
  const { data } = await db.collection<CountedWatermark>(STATS).where({ _id: COUNTED }).get();
  const from = data[0]?.countedUntil;
  const _ = db.command;
  const moves = !from || from < until;
  const [days, tallies] = await Promise.all([
    moves ? figuresOf(db, from ? _.gt(from).and(_.lte(until)) : _.lte(until)) : Promise.resolve(new Map<string, DayFigures>()),
    courseTallies(db),
  ]);
  const counted = await db.runTransaction(async (tx) => {
    const current = await readIfExists<CountedWatermark>(tx, STATS, COUNTED);
    if (current?.countedUntil.getTime() !== from?.getTime()) return false;
    for (const [day, figures] of days) {
      const stored = from ? await readIfExists<DayStats>(tx, STATS, day) : null;
      const { _id: _ignored, day: _day, ...before } = stored ?? { _id: day, day, ...emptyFigures() };
      const next: DayStats = { day, ...addFigures({ ...before, courses: { ...before.courses } }, figures) };
      await tx.collection<DayStats>(STATS).doc(day).set({ data: next });
    }
    await tx.collection<CourseTallies>(STATS).doc(COURSE_TALLIES).set({ data: { countedAt: now, courses: tallies } });
    if (moves) await tx.collection<CountedWatermark>(STATS).doc(COUNTED).set({ data: { countedUntil: until } });
    return true;
  });
  return { days: counted ? days.size : 0, counted };
}
