import * as z from './schema';

/** `getDashboard` (owner, editor, support): the figures of the last `days` Beijing days, today included. */
export const DASHBOARD_PERIODS = [7, 30, 90] as const;
export const getDashboardRequest = z.strictObject({
  days: z._default(z.literal(DASHBOARD_PERIODS, '统计区间只能是 7、30 或 90 天'), 7),
});
export type GetDashboardRequest = z.input<typeof getDashboardRequest>;

/** One Beijing day: money in fen. */
export interface DashboardDay {
  /** `YYYY-MM-DD` */
  day: string;
  /** fen paid by the orders paid that day */
  revenue: number;
  /** orders paid that day */
  orders: number;
  /** paid orders refunded that day */
  refunds: number;
  /** fen refunded that day */
  refundAmount: number;
}

/** A course's sales in the period (course and gift orders), and its sales counter of all time (the catalog's). */
export interface DashboardCourseSales {
  courseId: string;
  title: string;
  /** orders paid in the period */
  sales: number;
  /** fen they paid */
  revenue: number;
  refunds: number;
  refundAmount: number;
  /** `stats.sales` of the course: all time, less refunds, counted by the catalog's timer */
  salesAllTime: number;
}

/** Learners holding the course, learners who completed all its lessons, and completed / enrolled (0-1). */
export interface DashboardCourseCompletion {
  courseId: string;
  title: string;
  lessonCount: number;
  enrolled: number;
  completed: number;
  rate: number;
}

export interface GetDashboardResponse {
  days: number;
  /** every day of the period, oldest first, zeros included */
  revenueByDay: DashboardDay[];
  totals: { revenue: number; orders: number; refunds: number; refundAmount: number; netRevenue: number };
  /** every course of the catalog, by revenue in the period, then by sales of all time, highest first */
  salesByCourse: DashboardCourseSales[];
  /** courses with learners, by learners enrolled, most first; as of `coursesCountedAt` */
  completionByCourse: DashboardCourseCompletion[];
  /** learners who opened the mini program in the last 7 and 30 days */
  activeLearners: { d7: number; d30: number };
  /** learners whose first login was in the period, by day (oldest first) */
  newLearners: { byDay: Array<{ day: string; count: number }>; total: number };
  /** until when the day counters are counted; what happened since is added live */
  countedUntil: Date | null;
  /** when the enrolled and completed tallies were last counted (every 10 minutes), null before the first count */
  coursesCountedAt: Date | null;
}

/** `countStats`: the timer that counts the dashboard's figures (the platform only). */
export const countStatsRequest = z.object({});
