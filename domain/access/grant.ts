import { isDuplicateKey, readIfExists, type Database, type Transaction } from '../../server/database';
import { GIFTS, type Gift } from '../gifts/model';
import type { GiftItem, OrderItem } from '../orders/model';
import {
  courseEntitlementId,
  ENTITLEMENTS,
  membershipEntitlementId,
  sameSource,
  sourceKey,
  type Entitlement,
  type EntitlementSource,
} from './entitlements';

export interface Grant {
  /**
   * who receives it: the buyer of a course or a plan, the giver of a gift (who gets the voucher), the
   * claimer of a gift, the learner staff grant a course to, the learner enrolling in a free course
   */
  openid: string;
  item: OrderItem;
  source: EntitlementSource;
}

/**
 * - granted: the learner may now study the item (or, for a gift, the voucher exists)
 * - alreadyGranted: this source had granted it already (a replay): nothing written
 * - ownedElsewhere: the learner already holds it through another source: nothing written, and the
 *   caller decides what the second source means (for an order: money to give back)
 */
export type GrantOutcome = 'granted' | 'alreadyGranted' | 'ownedElsewhere';

/**
 * How `grantAccess` learns what the learner holds already:
 * - 'create': it assumes nothing (a learner's first grant of an item, by far the common case) and
 *   inserts the entitlement without reading it; when one exists the insert fails with a duplicate key,
 *   and the caller runs its transaction again with 'inspect'. This saves a read on every purchase.
 * - 'inspect': it reads the entitlement first and decides from it.
 * A membership is always read: it is extended, not created.
 */
export type GrantMode = 'create' | 'inspect';

/**
 * Runs `grantIn` (a transaction that calls `grantAccess`) first in 'create' mode, and again in 'inspect'
 * mode when the insert met an entitlement the learner already has: the first grant costs no read.
 */
export async function runGrant<R>(db: Database, grantIn: (tx: Transaction, mode: GrantMode) => Promise<R>): Promise<R> {
  try {
    return await db.runTransaction((tx) => grantIn(tx, 'create'));
  } catch (e) {
    if (!isDuplicateKey(e)) throw e;
    return db.runTransaction((tx) => grantIn(tx, 'inspect'));
  }
}

/**
 * The item an order, a grant or an order request is about: `course excel-basics`, `membership plan-year`
 * (for logs and incidents, and to tell whether a request and an order are for the same thing).
 */
export const describeItem = (item: { kind: 'membership'; planId: string } | { kind: 'course' | 'gift'; courseId: string }) =>
  `${item.kind} ${item.kind === 'membership' ? item.planId : item.courseId}`;

const DAY_MS = 86_400_000;

/**
 * The one place that creates entitlements, inside the caller's transaction (the same one that moves the
 * order or the gift), so access and money change together or not at all. Idempotent per (source,
 * learner, item): an entitlement's id is derived from the learner and the item, and a replay of the same
 * source finds its own grant. A revoked entitlement (refunded, or taken back by staff) is granted again.
 * - a course: the learner's course entitlement, whatever the source (an order, a claimed gift, a staff
 *   grant, a free enrollment)
 * - a membership: extends the learner's membership by the plan's days, from its expiry or from now,
 *   whichever is later (renewals stack)
 * - a gift: the gift voucher a friend will claim (the buyer gets no access); claiming it grants the
 *   friend the course with the gift as source
 */
export async function grantAccess(tx: Transaction, grant: Grant, now: Date, mode: GrantMode): Promise<GrantOutcome> {
  switch (grant.item.kind) {
    case 'course':
      return grantCourse(tx, grant.openid, grant.item.courseId, grant.source, now, mode);
    case 'membership':
      return extendMembership(tx, grant.openid, grant.item.durationDays, grant.source, now);
    case 'gift':
      return issueGift(tx, grant.openid, grant.item, grant.source, now, mode);
  }
}

async function grantCourse(tx: Transaction, openid: string, courseId: string, source: EntitlementSource, now: Date, mode: GrantMode): Promise<GrantOutcome> {
  const { _id, ...data }: Entitlement = { _id: courseEntitlementId(openid, courseId), openid, kind: 'course', courseId, status: 'active', grantedAt: now, source };
  if (mode === 'create') {
    await tx.collection<Entitlement>(ENTITLEMENTS).add({ data: { _id, ...data } });
    return 'granted';
  }
  const existing = await readIfExists<Omit<Entitlement, '_id'>>(tx, ENTITLEMENTS, _id);
  if (existing?.status === 'active') return sameSource(existing.source, source) ? 'alreadyGranted' : 'ownedElsewhere';
  await tx.collection<Omit<Entitlement, '_id'>>(ENTITLEMENTS).doc(_id).set({ data });
  return 'granted';
}

async function extendMembership(tx: Transaction, openid: string, durationDays: number, source: EntitlementSource, now: Date): Promise<GrantOutcome> {
  const _id = membershipEntitlementId(openid);
  const existing = await readIfExists<Omit<Entitlement, '_id'>>(tx, ENTITLEMENTS, _id);
  // Checked over every grant, even of a revoked membership: a source extends a membership once.
  if (existing?.grants?.some((g) => sameSource(g.source, source)) || sameSource(existing?.source, source)) return 'alreadyGranted';
  const active = existing?.status === 'active' ? existing : undefined;
  // A membership without an expiry (granted for good) cannot be extended: the payment buys nothing.
  if (active && !active.expiresAt) return 'ownedElsewhere';
  const from = active?.expiresAt && active.expiresAt > now ? active.expiresAt : now;
  const data: Omit<Entitlement, '_id'> = {
    openid,
    kind: 'membership',
    expiresAt: new Date(from.getTime() + durationDays * DAY_MS),
    status: 'active',
    grantedAt: now,
    source,
    grants: [...(existing?.grants ?? []), { source, durationDays, grantedAt: now }],
  };
  await tx.collection<Omit<Entitlement, '_id'>>(ENTITLEMENTS).doc(_id).set({ data });
  return 'granted';
}

async function issueGift(tx: Transaction, giver: string, item: GiftItem, source: EntitlementSource, now: Date, mode: GrantMode): Promise<GrantOutcome> {
  if (source.kind !== 'order') throw new Error(`a gift is issued by an order, not by ${sourceKey(source)}`);
  const { _id, ...data }: Gift = {
    _id: source.orderId,
    courseId: item.courseId,
    title: item.title,
    ...(item.cover ? { cover: item.cover } : {}),
    from: giver,
    status: 'unclaimed',
    createdAt: now,
  };
  if (mode === 'create') {
    await tx.collection<Gift>(GIFTS).add({ data: { _id, ...data } });
    return 'granted';
  }
  if (await readIfExists<Omit<Gift, '_id'>>(tx, GIFTS, _id)) return 'alreadyGranted';
  await tx.collection<Omit<Gift, '_id'>>(GIFTS).doc(_id).set({ data });
  return 'granted';
}
