import { pageOf, type Database } from '../../server/database';
import { CARD_FIELDS, COURSES, toCard } from '../catalog/courses';
import type { Course } from '../catalog/model';
import type { ListMyCoursesResponse, listMyCoursesRequest } from '../contracts/catalog';
import type * as z from '../contracts/schema';
import type { LessonProgress } from '../learning/model';
import { courseProgress, PROGRESS } from '../learning/progress';
import { ENTITLEMENTS, membershipEntitlementId, type Entitlement } from './entitlements';

/** A read answers at most 1,000 documents: a page of 20 courses of up to 50 lessons each. */
const MAX_RECORDS = 1000;

/**
 * "My courses": the courses the learner holds (active course entitlements: bought, claimed as a gift,
 * granted by staff, or free courses they joined), most recently granted first, one page, as cards; on the
 * first page, the learner's membership when they hold an active one (the member-included courses it opens
 * are not listed: the catalog marks them).
 *
 * Each course says how far the learner got (completed lessons, share played, the lesson to continue), from
 * their progress records of the page's courses.
 *
 * Requests: the page of entitlements through the `openid` index (with, on the first page, the membership
 * by its `_id`, at once), then the page's courses by `_id` and the learner's progress records of them
 * through the `openid_course` index, at once: 2 round trips, 4 requests on the first page and 3 on the next
 * ones; a page without courses skips the second round trip. A course bought and later
 * unpublished stays listed: the learner keeps it.
 */
export async function listMyCourses(db: Database, openid: string, req: z.output<typeof listMyCoursesRequest>, now: Date): Promise<ListMyCoursesResponse> {
  const _ = db.command;
  const [held, memberships] = await Promise.all([
    pageOf(
      db
        .collection<Entitlement>(ENTITLEMENTS)
        .where({ openid, kind: 'course', status: 'active' })
        .orderBy('grantedAt', 'desc')
        .orderBy('_id', 'asc')
        .field({ courseId: true, grantedAt: true, source: true }),
      req,
    ),
    req.page === 1
      ? db.collection<Entitlement>(ENTITLEMENTS).where({ _id: membershipEntitlementId(openid), status: 'active' }).get()
      : Promise.resolve({ data: [] as Entitlement[] }),
  ]);
  const bought = held.items.filter((e): e is Entitlement & { courseId: string } => Boolean(e.courseId));
  const membership = memberships.data.find((m) => !m.expiresAt || m.expiresAt > now);

  const courseIds = bought.map((e) => e.courseId);
  const [{ data: courses }, { data: records }] = bought.length
    ? await Promise.all([
        db
          .collection<Course>(COURSES)
          .where({ _id: _.in(courseIds) })
          .field({ ...CARD_FIELDS, durationSec: true })
          .get(),
        db
          .collection<LessonProgress>(PROGRESS)
          .where({ openid, courseId: _.in(courseIds) })
          .field({ courseId: true, lessonId: true, completed: true, watchedSec: true, positionSec: true, updatedAt: true })
          .limit(MAX_RECORDS)
          .get(),
      ])
    : [{ data: [] as Course[] }, { data: [] as LessonProgress[] }];
  const byId = new Map(courses.map((c) => [c._id, c]));
  return {
    courses: bought.flatMap((e) => {
      const course = byId.get(e.courseId);
      const progress = courseProgress(
        records.filter((r) => r.courseId === e.courseId),
        course?.durationSec ?? 0,
      );
      // Entitlements made before sources were recorded all came from orders.
      return course ? [{ ...toCard(course), addedAt: e.grantedAt, via: e.source?.kind ?? 'order', progress }] : [];
    }),
    page: held.page,
    hasMore: held.hasMore,
    ...(membership ? { membership: membership.expiresAt ? { expiresAt: membership.expiresAt } : {} } : {}),
  };
}
