import type { Database } from '../../server/database';
import { CARD_FIELDS, COURSES, toCard } from '../catalog/courses';
import type { Course } from '../catalog/model';
import type { ListMyCoursesResponse, listMyCoursesRequest } from '../contracts/catalog';
import type * as z from '../contracts/schema';
import { ENTITLEMENTS, membershipEntitlementId, type Entitlement } from './entitlements';

/**
 * "My courses": the courses the learner holds (active course entitlements: bought, claimed as a gift,
 * granted by staff, or free courses they joined), most recently granted first, one page, as cards; on the
 * first page, the learner's membership when they hold an active one (the member-included courses it opens
 * are not listed: the catalog marks them).
 *
 * Requests: the page of entitlements through the `openid` index (with, on the first page, the membership
 * by its `_id`, at once), then the page's courses by `_id`: 2 round trips, 3 requests on the first page
 * and 2 on the next ones; a page without purchases skips the course read. A course bought and later
 * unpublished stays listed: the learner keeps it.
 */
export async function listMyCourses(db: Database, openid: string, req: z.output<typeof listMyCoursesRequest>, now: Date): Promise<ListMyCoursesResponse> {
  const _ = db.command;
  const [page, memberships] = await Promise.all([
    db
      .collection<Entitlement>(ENTITLEMENTS)
      .where({ openid, kind: 'course', status: 'active' })
      .orderBy('grantedAt', 'desc')
      .orderBy('_id', 'asc')
      .skip((req.page - 1) * req.pageSize)
      .limit(req.pageSize + 1)
      .field({ courseId: true, grantedAt: true, source: true })
      .get(),
    req.page === 1
      ? db.collection<Entitlement>(ENTITLEMENTS).where({ _id: membershipEntitlementId(openid), status: 'active' }).get()
      : Promise.resolve({ data: [] as Entitlement[] }),
  ]);
  const bought = page.data.slice(0, req.pageSize).filter((e): e is Entitlement & { courseId: string } => Boolean(e.courseId));
  const membership = memberships.data.find((m) => !m.expiresAt || m.expiresAt > now);

  const { data: courses } = bought.length
    ? await db
        .collection<Course>(COURSES)
        .where({ _id: _.in(bought.map((e) => e.courseId)) })
        .field(CARD_FIELDS)
        .get()
    : { data: [] as Course[] };
  const byId = new Map(courses.map((c) => [c._id, c]));
  return {
    courses: bought.flatMap((e) => {
      const course = byId.get(e.courseId);
      // Entitlements made before sources were recorded all came from orders.
      return course ? [{ ...toCard(course), addedAt: e.grantedAt, via: e.source?.kind ?? 'order' }] : [];
    }),
    page: req.page,
    hasMore: page.data.length > req.pageSize,
    ...(membership ? { membership: membership.expiresAt ? { expiresAt: membership.expiresAt } : {} } : {}),
  };
}
