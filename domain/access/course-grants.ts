import { readIfExists, type Database } from '../../server/database';
import { COURSES } from '../catalog/courses';
import type { Course } from '../catalog/model';
import type { EnrollCourseResponse, GrantCourseRequest, GrantCourseResponse, RevokeGrantRequest, RevokeGrantResponse } from '../contracts/access';
import { DomainError } from '../errors';
import { recordAudit, type StaffRef } from '../staff/audit';
import type { CourseItem } from '../orders/model';
import { USERS } from '../users/profile';
import { courseEntitlementId, ENTITLEMENTS, type Entitlement } from './entitlements';
import { grantAccess, runGrant } from './grant';

/**
 * Course access that no payment buys: staff's grants (a comp for a partner, a make-good) and a learner's
 * enrollment in a free course. Both go through `grantAccess`, so they meet purchases and gifts on the same
 * entitlement: a learner holds a course once, whatever gave it, and a refund takes back only what its
 * order or gift granted (domain/refunds/effects.ts), never these.
 */

/** A course that is on sale (published), as a grant needs it: one request. */
async function publishedCourse(db: Database, courseId: string): Promise<Course> {
  const { data } = await db.collection<Course>(COURSES).where({ _id: courseId, status: 'published' }).field({ title: true, cover: true, price: true }).get();
  if (!data[0]) throw new DomainError('NOT_FOUND', '课程不存在或未上架');
  return data[0];
}

const courseItem = (course: Course): CourseItem => ({ kind: 'course', courseId: course._id, title: course.title, ...(course.cover ? { cover: course.cover } : {}) });

/**
 * Staff grant a published course (free or paid) to a learner who has logged in at least once (a users
 * document: an openid typed wrong would otherwise grant a course to nobody). The same staff member's
 * grant again changes nothing; a learner who holds the course already (bought, a gift, another staff
 * member's grant) is refused, since this grant would add nothing and could not be told apart later.
 *
 * 7 requests: the role (defineFunction), the learner and the course at once, then a transaction (begin,
 * the entitlement's insert, the audit entry, commit); 9 when the learner held the course before: the insert fails (and
 * its transaction is rolled back), and a second transaction reads the entitlement (`runGrant`).
 */
export async function grantCourse(db: Database, staff: StaffRef, { openid, courseId, note }: GrantCourseRequest, now: Date): Promise<GrantCourseResponse> {
  const [users, course] = await Promise.all([db.collection(USERS).where({ _id: openid }).field({ _id: true }).get(), publishedCourse(db, courseId)]);
  if (!users.data[0]) throw new DomainError('NOT_FOUND', '学员不存在，请核对学员编号');
  const outcome = await runGrant(db, async (tx, mode) => {
    const granted = await grantAccess(tx, { openid, item: courseItem(course), source: { kind: 'admin', by: staff.uid, note } }, now, mode);
    if (granted === 'granted') {
      const target = { kind: 'entitlement' as const, id: courseEntitlementId(openid, courseId) };
      await recordAudit(tx, staff, { action: 'grants.manage', target, summary: `赠送课程《${course.title}》给学员 ${openid}：${note}`, after: { status: 'active', note } }, now);
    }
    return granted;
  });
  if (outcome === 'ownedElsewhere') throw new DomainError('ALREADY_OWNED', '学员已拥有这门课程');
  return { openid, courseId, alreadyGranted: outcome === 'alreadyGranted' };
}

/**
 * Staff take back a course that staff granted (any staff member's grant: they work as one team). A course
 * held through an order or a gift is refused: its money goes back through a refund, which revokes it. A
 * grant revoked already changes nothing; the learner may be granted it or buy it again.
 *
 * 6 requests: the role, then one transaction keyed by the entitlement (begin, read, update, the audit
 * entry, commit).
 * A refusal is returned from the transaction (which wrote nothing) and thrown after it, so it is never
 * mistaken for a failure to retry.
 */
export async function revokeGrant(db: Database, staff: StaffRef, { openid, courseId, note }: RevokeGrantRequest, now: Date): Promise<RevokeGrantResponse> {
  const id = courseEntitlementId(openid, courseId);
  const outcome = await db.runTransaction(async (tx): Promise<RevokeGrantResponse | DomainError> => {
    const entitlement = await readIfExists<Omit<Entitlement, '_id'>>(tx, ENTITLEMENTS, id);
    const granted = entitlement?.source?.kind === 'admin';
    if (!entitlement || (entitlement.status !== 'active' && !granted)) return new DomainError('NOT_FOUND', '学员没有这门课程');
    if (!granted) return new DomainError('CONFLICT', '这门课程不是后台赠送的，不能收回；购买或礼物所得的课程请通过退款处理');
    if (entitlement.status !== 'active') return { openid, courseId, alreadyRevoked: true };
    await tx.collection<Omit<Entitlement, '_id'>>(ENTITLEMENTS).doc(id).update({ data: { status: 'revoked', revokedAt: now, revokedBy: staff.uid, revokeNote: note } });
    await recordAudit(tx, staff, { action: 'grants.manage', target: { kind: 'entitlement', id }, summary: `收回学员 ${openid} 的赠课 ${courseId}：${note}`, before: { status: 'active' }, after: { status: 'revoked', note } }, now);
    return { openid, courseId, alreadyRevoked: false };
  });
  if (outcome instanceof DomainError) throw outcome;
  return outcome;
}

/**
 * The caller joins a published free course, so it is listed in 我的课程 (a free course is open to anyone
 * without it: `accessTo` answers 'free'). Joining again, or a course the caller holds already, changes
 * nothing. A course that later goes on sale stays the learner's, as the grant it was.
 *
 * 4 requests: the course, then a transaction (begin, the entitlement's insert, commit); 7 when the
 * learner held it already (the insert fails and is rolled back, and a second transaction reads it).
 */
export async function enrollCourse(db: Database, openid: string, courseId: string, now: Date): Promise<EnrollCourseResponse> {
  const course = await publishedCourse(db, courseId);
  if (course.price.amount > 0) throw new DomainError('FORBIDDEN', '这门课程需要购买');
  const outcome = await runGrant(db, (tx, mode) => grantAccess(tx, { openid, item: courseItem(course), source: { kind: 'free' } }, now, mode));
  return { courseId, alreadyEnrolled: outcome !== 'granted' };
}
