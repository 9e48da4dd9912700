/**
 * Learners as the creator console sees them (staff with `learners.read`): search, and one learner with
 * what they hold, their orders and their progress. Reads only.
 */
import { pageOf, type Database } from '../../server/database';
import { ENTITLEMENTS, type Entitlement } from '../access/entitlements';
import { COURSES } from '../catalog/courses';
import type { Course } from '../catalog/model';
import type { GetLearnerResponse, LearnerCourseProgress, LearnerEntitlementView, SearchLearnersResponse, searchLearnersRequest } from '../contracts/learners';
import type { UserProfile } from '../contracts/login';
import { MAX_PAGE_SIZE } from '../contracts/paging';
import type * as z from '../contracts/schema';
import { DomainError } from '../errors';
import type { LessonProgress } from '../learning/model';
import { courseProgress, PROGRESS } from '../learning/progress';
import { rowsOf } from '../orders/admin';
import { ORDERS, type Order } from '../orders/model';
import { inScope, type CourseScope } from '../staff/scope';
import { USERS } from './profile';

type UserDoc = Omit<UserProfile, 'openid'> & { _id: string };
/** The profile's fields only: the document holds others (when the profile was last edited...). */
const PROFILE_FIELDS = { nickname: true, avatarUrl: true, createdAt: true, lastLoginAt: true } as const;
const toProfile = ({ _id, ...rest }: UserDoc): UserProfile => ({ openid: _id, ...rest });

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A read answers at most 1,000 documents: a learner's most recent 1,000 lesson records, a teacher's newest 1,000 learners. */
const MAX_RECORDS = 1000;

/**
 * The learners holding a course of `scope` (a teacher's), the most recently granted 1,000: one request on
 * `course_status_grantedAt`.
 */
async function learnersOf(db: Database, scope: readonly string[]): Promise<string[]> {
  if (!scope.length) return [];
  const { data } = await db
    .collection<Entitlement>(ENTITLEMENTS)
    .where({ courseId: db.command.in([...scope]), status: 'active' })
    .orderBy('grantedAt', 'desc')
    .limit(MAX_RECORDS)
    .field({ openid: true })
    .get();
  return [...new Set(data.map((e) => e.openid))];
}

/**
 * Learners, most recently seen first (the `lastLoginAt` index), one page, in one request; with a `scope` (a
 * teacher's courses) only the learners holding one of them, one request more. A keyword matches an openid
 * from its beginning (so the whole openid too) or a nickname from its beginning: an anchored pattern, which
 * the `_id` index serves; the nickname's is a scan of the users, acceptable at a school's size (a nickname
 * index would only help an exact match).
 */
export async function searchLearners(db: Database, req: z.output<typeof searchLearnersRequest>, scope?: CourseScope): Promise<SearchLearnersResponse> {
  const _ = db.command;
  const prefix = req.keyword ? db.RegExp({ regexp: `^${escapeRegExp(req.keyword)}`, options: '' }) : undefined;
  const conditions = [...(prefix ? [_.or([{ _id: prefix }, { nickname: prefix }])] : []), ...(scope ? [{ _id: _.in(await learnersOf(db, scope)) }] : [])];
  const { items, page, hasMore } = await pageOf(
    db
      .collection<UserDoc>(USERS)
      .where(conditions.length > 1 ? _.and(conditions) : (conditions[0] ?? {}))
      .orderBy('lastLoginAt', 'desc')
      .orderBy('_id', 'asc')
      .field(PROFILE_FIELDS),
    req,
  );
  return { learners: items.map(toProfile), page, hasMore };
}

type ProgressRecord = Pick<LessonProgress, 'courseId' | 'lessonId' | 'completed' | 'watchedSec' | 'positionSec' | 'updatedAt'>;

function entitlementView(e: Entitlement, titles: ReadonlyMap<string, string>, now: Date): LearnerEntitlementView {
  const title = e.courseId ? titles.get(e.courseId) : undefined;
  return {
    kind: e.kind,
    ...(e.courseId ? { courseId: e.courseId } : {}),
    ...(title !== undefined ? { courseTitle: title } : {}),
    status: e.status === 'revoked' ? 'revoked' : e.expiresAt && e.expiresAt <= now ? 'expired' : 'active',
    ...(e.source ? { source: e.source } : {}),
    grantedAt: e.grantedAt,
    ...(e.expiresAt ? { expiresAt: e.expiresAt } : {}),
    ...(e.revokedAt ? { revokedAt: e.revokedAt } : {}),
  };
}

/** The learner's progress per course studied, from their lesson records, most recently studied first. */
function progressByCourse(records: ProgressRecord[], courses: ReadonlyMap<string, Pick<Course, 'title' | 'lessonCount' | 'durationSec'>>): LearnerCourseProgress[] {
  const byCourse = new Map<string, ProgressRecord[]>();
  for (const r of records) byCourse.set(r.courseId, [...(byCourse.get(r.courseId) ?? []), r]);
  return [...byCourse]
    .map(([courseId, rs]) => {
      const course = courses.get(courseId);
      const { completedLessons, watchedShare } = courseProgress(rs, course?.durationSec ?? 0);
      return {
        courseId,
        ...(course ? { courseTitle: course.title, lessonCount: course.lessonCount } : {}),
        completedLessons,
        percent: Math.round(watchedShare * 100),
        lastStudiedAt: rs.reduce((latest, r) => (r.updatedAt > latest ? r.updatedAt : latest), rs[0]!.updatedAt),
      };
    })
    .sort((a, b) => b.lastStudiedAt.getTime() - a.lastStudiedAt.getTime());
}

/**
 * One learner: profile, entitlements (every course and membership, active or not), the newest orders and
 * progress per course. 5 requests in 2 round trips: the profile, the entitlements (`openid` index), the
 * orders (`openid_createdAt`) and the lesson records (`openid_updatedAt`) at once, then the titles of the
 * courses among them by `_id`.
 *
 * With a `scope` (a teacher's courses), only a learner who holds or studied one of them, and only those
 * courses' entitlements and progress.
 */
export async function getLearner(db: Database, openid: string, now: Date, { withOrders, scope }: { withOrders: boolean; scope?: CourseScope }): Promise<GetLearnerResponse> {
  const [{ data: users }, { data: allEntitlements }, { data: orders }, { data: allRecords }] = await Promise.all([
    db.collection<UserDoc>(USERS).where({ _id: openid }).field(PROFILE_FIELDS).get(),
    db.collection<Entitlement>(ENTITLEMENTS).where({ openid }).limit(MAX_RECORDS).get(),
    withOrders
      ? db
          .collection<Order>(ORDERS)
          .where({ openid })
          .orderBy('createdAt', 'desc')
          .orderBy('_id', 'desc')
          .limit(MAX_PAGE_SIZE + 1)
          .field({ openid: true, item: true, amount: true, status: true, provider: true, createdAt: true, paidAt: true })
          .get()
      : { data: [] as Order[] },
    db
      .collection<ProgressRecord>(PROGRESS)
      .where({ openid })
      .orderBy('updatedAt', 'desc')
      .limit(MAX_RECORDS)
      .field({ courseId: true, lessonId: true, completed: true, watchedSec: true, positionSec: true, updatedAt: true })
      .get(),
  ]);
  const entitlements = allEntitlements.filter((e) => inScope(scope, e.courseId));
  const records = allRecords.filter((r) => inScope(scope, r.courseId));
  if (scope && !entitlements.some((e) => e.status === 'active') && !records.length) throw new DomainError('FORBIDDEN', '只能查看自己课程的学员');
  const courseIds = [...new Set([...entitlements.flatMap((e) => (e.courseId ? [e.courseId] : [])), ...records.map((r) => r.courseId)])];
  const { data: courses } = courseIds.length
    ? await db
        .collection<Course>(COURSES)
        .where({ _id: db.command.in(courseIds) })
        .field({ title: true, lessonCount: true, durationSec: true })
        .limit(courseIds.length)
        .get()
    : { data: [] as Course[] };
  const byId = new Map(courses.map((c) => [c._id, c]));
  const titles = new Map(courses.map((c) => [c._id, c.title]));
  const profile = users[0] ? toProfile(users[0]) : null;
  return {
    profile,
    entitlements: entitlements.sort((a, b) => b.grantedAt.getTime() - a.grantedAt.getTime()).map((e) => entitlementView(e, titles, now)),
    // The nickname is the profile's: no request for it.
    orders: withOrders ? await rowsOf(db, orders.slice(0, MAX_PAGE_SIZE), profile ? new Map([[openid, profile.nickname]]) : new Map()) : undefined,
    hasMoreOrders: orders.length > MAX_PAGE_SIZE,
    progress: progressByCourse(records, byId),
  };
}
