import type { Database } from '../../server/database';
import type { Course } from '../catalog/model';

export const ENTITLEMENTS = 'entitlements';

/**
 * Why a learner holds an entitlement: the order that paid for it, the gift they claimed, a staff member's
 * grant of a course (`by`: their openid; `note`: why, for the record), or their own enrollment in a free
 * course. Only an order or a gift carries money, so only those are ever taken back by a refund.
 */
export type EntitlementSource =
  | { kind: 'order'; orderId: string }
  | { kind: 'gift'; giftId: string }
  | { kind: 'admin'; by: string; note: string }
  | { kind: 'free' };

/**
 * What makes two sources the same grant. A staff grant is its staff member's, whatever the note: the same
 * grant sent again with other words is still a replay, while another staff member's is a second source.
 */
export function sourceKey(source: EntitlementSource): string {
  switch (source.kind) {
    case 'order':
      return `order:${source.orderId}`;
    case 'gift':
      return `gift:${source.giftId}`;
    case 'admin':
      return `admin:${source.by}`;
    case 'free':
      return 'free';
  }
}
export const sameSource = (a: EntitlementSource | undefined, b: EntitlementSource) => a !== undefined && sourceKey(a) === sourceKey(b);

/** One purchase that extended a membership: a replay of its source finds it here and extends nothing. */
export interface MembershipGrant {
  source: EntitlementSource;
  durationDays: number;
  grantedAt: Date;
  /** set when the source was refunded and its days taken back (domain/refunds/effects.ts) */
  refundedAt?: Date;
}

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
  /** when it was last granted (for a membership: last extended) */
  grantedAt: Date;
  /** when it was revoked (a refund, or staff taking back their grant); a new grant clears it */
  revokedAt?: Date;
  /** the staff member who took back a staff grant, and why (domain/access/course-grants.ts) */
  revokedBy?: string;
  revokeNote?: string;
  /** the last source that granted it; absent on entitlements made before sources were recorded */
  source?: EntitlementSource;
  /** memberships: every purchase that extended it, oldest first */
  grants?: MembershipGrant[];
}

export const courseEntitlementId = (openid: string, courseId: string) => `${openid}:course:${courseId}`;
export const membershipEntitlementId = (openid: string) => `${openid}:membership`;

/** How the learner may study a course: free for all, bought, through membership; null = locked. */
export type Access = 'free' | 'purchased' | 'member' | null;

/**
 * The learner's entitlements that can open `courseId`, and those of `otherCourseIds` (courses a price
 * depends on, such as the entry course of an upgrade), in one indexed read.
 */
export async function entitlementsFor(db: Database, openid: string | undefined, courseId: string, ...otherCourseIds: string[]): Promise<Entitlement[]> {
  if (!openid) return [];
  const ids = [courseId, ...otherCourseIds].map((id) => courseEntitlementId(openid, id));
  const { data } = await db
    .collection<Entitlement>(ENTITLEMENTS)
    .where({ _id: db.command.in([...ids, membershipEntitlementId(openid)]) })
    .get();
  return data;
}

/** What the learner holds now, among `entitlements`: the courses, and whether they are a member. */
export interface Holdings {
  courses: ReadonlySet<string>;
  member: boolean;
}

export function holdingsOf(entitlements: Entitlement[], now: Date): Holdings {
  const active = entitlements.filter((e) => e.status === 'active' && (!e.expiresAt || e.expiresAt > now));
  return {
    courses: new Set(active.flatMap((e) => (e.kind === 'course' && e.courseId ? [e.courseId] : []))),
    member: active.some((e) => e.kind === 'membership'),
  };
}

export function accessTo(course: Pick<Course, '_id' | 'price'>, entitlements: Entitlement[], now: Date): Access {
  if (course.price.amount === 0) return 'free';
  const holdings = holdingsOf(entitlements, now);
  if (holdings.courses.has(course._id)) return 'purchased';
  if (course.price.includedInMembership && holdings.member) return 'member';
  return null;
}
