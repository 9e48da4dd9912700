import type { Database } from '../../server/database';
import { COURSES } from '../catalog/courses';
import type { Course } from '../catalog/model';
import type { DashboardCourseCompletion, DashboardCourseSales, GetDashboardResponse } from '../contracts/dashboard';
import { USERS } from '../users/profile';
import {
  addFigures,
  COUNTED,
  COURSE_TALLIES,
  dayStart,
  emptyFigures,
  figuresOf,
  lastDays,
  STATS,
  type CountedWatermark,
  type CourseTallies,
  type DayFigures,
  type DayStats,
} from './stats';

const DAY_MS = 86_400_000;

/**
 * The console's dashboard for the last `days` Beijing days: 6 DB requests in two round trips, whatever the
 * number of orders or learners. First, at once: the period's day documents with the watermark and the course
 * tallies (one read by `_id`), the courses' titles and sales counters, and the active learners (one aggregate
 * over users by `lastLoginAt`); then what happened since the watermark (at most the timer's period plus its
 * lag, about 11 minutes: three aggregates over that window, `figuresOf`), so today's figures are exact at once.
 */
export async function readDashboard(db: Database, days: number, now: Date): Promise<GetDashboardResponse> {
  const _ = db.command;
  const $ = _.aggregate;
  const period = lastDays(now, days);
  const periodStart = dayStart(period[0]!);
  const d7 = new Date(now.getTime() - 7 * DAY_MS);
  const d30 = new Date(now.getTime() - 30 * DAY_MS);
  const [stats, courses, active] = await Promise.all([
    db
      .collection<Partial<DayStats & CountedWatermark & CourseTallies>>(STATS)
      .where({ _id: _.in([...period, COUNTED, COURSE_TALLIES]) })
      .limit(period.length + 2)
      .get(),
    db.collection<Pick<Course, 'title' | 'lessonCount' | 'stats'>>(COURSES).where({}).field({ title: true, lessonCount: true, stats: true }).limit(1000).get(),
    db
      .collection(USERS)
      .aggregate()
      .match({ lastLoginAt: _.gte(d30) })
      .group({ _id: null, d30: $.sum(1), d7: $.sum($.cond({ if: $.gte(['$lastLoginAt', d7]), then: 1, else: 0 })) })
      .end(),
  ]);
  const byId = new Map(stats.data.map((doc) => [doc._id, doc]));
  const countedUntil = (byId.get(COUNTED) as CountedWatermark | undefined)?.countedUntil ?? null;
  const tallies = byId.get(COURSE_TALLIES) as CourseTallies | undefined;

  // What the counters do not hold yet: since the watermark, or since the period began if that is later.
  const tailFrom = countedUntil && countedUntil > periodStart ? countedUntil : new Date(periodStart.getTime() - 1);
  const tail = await figuresOf(db, _.gt(tailFrom));

  const figures = new Map<string, DayFigures>();
  for (const day of period) {
    const counted = byId.get(day) as DayStats | undefined;
    const total = emptyFigures();
    if (counted) addFigures(total, counted);
    const live = tail.get(day);
    if (live) addFigures(total, live);
    figures.set(day, total);
  }

  const revenueByDay = period.map((day) => {
    const f = figures.get(day)!;
    return { day, revenue: f.revenue, orders: f.orders, refunds: f.refunds, refundAmount: f.refundAmount };
  });
  const totals = revenueByDay.reduce(
    (t, d) => ({ revenue: t.revenue + d.revenue, orders: t.orders + d.orders, refunds: t.refunds + d.refunds, refundAmount: t.refundAmount + d.refundAmount, netRevenue: 0 }),
    { revenue: 0, orders: 0, refunds: 0, refundAmount: 0, netRevenue: 0 },
  );
  totals.netRevenue = totals.revenue - totals.refundAmount;

  const course = new Map(courses.data.map((c) => [c._id, c]));
  const inPeriod = emptyFigures();
  for (const f of figures.values()) addFigures(inPeriod, { ...emptyFigures(), courses: f.courses });
  const none = { sales: 0, revenue: 0, refunds: 0, refundAmount: 0 };
  const courseIds = new Set([...course.keys(), ...Object.keys(inPeriod.courses)]);
  const salesByCourse: DashboardCourseSales[] = [...courseIds]
    .map((courseId) => ({ courseId, title: course.get(courseId)?.title ?? courseId, ...none, ...inPeriod.courses[courseId], salesAllTime: course.get(courseId)?.stats?.sales ?? 0 }))
    .sort((a, b) => b.revenue - a.revenue || b.sales - a.sales || b.salesAllTime - a.salesAllTime || a.courseId.localeCompare(b.courseId));

  const completionByCourse: DashboardCourseCompletion[] = Object.entries(tallies?.courses ?? {})
    .filter(([, t]) => t.enrolled > 0 || t.completed > 0)
    .map(([courseId, t]) => ({
      courseId,
      title: course.get(courseId)?.title ?? courseId,
      lessonCount: course.get(courseId)?.lessonCount ?? 0,
      enrolled: t.enrolled,
      completed: t.completed,
      rate: t.enrolled > 0 ? Math.min(1, t.completed / t.enrolled) : 0,
    }))
    .sort((a, b) => b.enrolled - a.enrolled || a.courseId.localeCompare(b.courseId));

  const activeRow = active.list[0] as { d7: number; d30: number } | undefined;
  const newByDay = period.map((day) => ({ day, count: figures.get(day)!.newLearners }));
  return {
    days,
    revenueByDay,
    totals,
    salesByCourse,
    completionByCourse,
    activeLearners: { d7: activeRow?.d7 ?? 0, d30: activeRow?.d30 ?? 0 },
    newLearners: { byDay: newByDay, total: newByDay.reduce((sum, d) => sum + d.count, 0) },
    countedUntil,
    coursesCountedAt: tallies?.countedAt ?? null,
  };
}
