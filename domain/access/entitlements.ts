import type { Database } from '../../server/database';
import type { Course } from '../catalog/model';

export const ENTITLEMENTS = 'entitlements';

/** Why a learner holds an entitlement: the order that paid for it (admin grants and gifts come later). */
export type EntitlementSource = { kind: 'order'; orderId: string };

/**
 * The right of one learner to study: a course, or a membership (every course included in membership).
 * Created only by `grantAccess` (grant.ts); one document per (learner, item), so a grant is idempotent.
 */
export interface Entitlement {
  _id: string;
  openid: string;
  kind: 'course' | 'membership';
  courseId?: string;
  /** memberships expire; a course bought once does not */
  expiresAt?: Date;
  status: 'active' | 'revoked';
  grantedAt: Date;
  /** absent on entitlements made before sources were recorded */
  source?: EntitlementSource;
}

export const courseEntitlementId = (openid: string, courseId: string) => `${openid}:course:${courseId}`;
export const membershipEntitlementId = (openid: string) => `${openid}:membership`;

/** How the learner may study a course: free for all, bought, through membership; null = locked. */
export type Access = 'free' | 'purchased' | 'member' | null;

/** The learner's entitlements that can open `courseId`, in one indexed read. */
export async function entitlementsFor(db: Database, openid: string | undefined, courseId: string): Promise<Entitlement[]> {
  if (!openid) return [];
  const { data } = await db
    .collection<Entitlement>(ENTITLEMENTS)
    .where({ _id: db.command.in([courseEntitlementId(openid, courseId), membershipEntitlementId(openid)]) })
    .get();
  return data;
}

export function accessTo(course: Pick<Course, '_id' | 'price'>, entitlements: Entitlement[], now: Date): Access {
  if (course.price.amount === 0) return 'free';
  const active = entitlements.filter((e) => e.status === 'active' && (!e.expiresAt || e.expiresAt > now));
  if (active.some((e) => e.kind === 'course' && e.courseId === course._id)) return 'purchased';
  if (course.price.includedInMembership && active.some((e) => e.kind === 'membership')) return 'member';
  return null;
}
