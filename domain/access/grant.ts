import { readIfExists, type Transaction } from '../../server/database';
import type { OrderItem } from '../orders/model';
import { courseEntitlementId, ENTITLEMENTS, type Entitlement, type EntitlementSource } from './entitlements';

export interface Grant {
  openid: string;
  item: OrderItem;
  source: EntitlementSource;
}

/**
 * - granted: the learner may now study the item
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
 */
export type GrantMode = 'create' | 'inspect';

const sameSource = (a: EntitlementSource | undefined, b: EntitlementSource) => a?.kind === b.kind && a.orderId === b.orderId;

/**
 * The one place that creates entitlements, inside the caller's transaction (the same one that moves the
 * order), so access and money change together or not at all. Idempotent per (source, learner, item):
 * the entitlement's id is derived from the learner and the item, and a replay of the same source finds
 * its own grant. A revoked entitlement (refunded) is granted again by a new source.
 */
export async function grantAccess(tx: Transaction, grant: Grant, now: Date, mode: GrantMode): Promise<GrantOutcome> {
  const { _id, ...data }: Entitlement = {
    _id: courseEntitlementId(grant.openid, grant.item.courseId),
    openid: grant.openid,
    kind: 'course',
    courseId: grant.item.courseId,
    status: 'active',
    grantedAt: now,
    source: grant.source,
  };
  if (mode === 'create') {
    await tx.collection<Entitlement>(ENTITLEMENTS).add({ data: { _id, ...data } });
    return 'granted';
  }
  const existing = await readIfExists<Omit<Entitlement, '_id'>>(tx, ENTITLEMENTS, _id);
  if (existing?.status === 'active') return sameSource(existing.source, grant.source) ? 'alreadyGranted' : 'ownedElsewhere';
  await tx.collection<Omit<Entitlement, '_id'>>(ENTITLEMENTS).doc(_id).set({ data });
  return 'granted';
}
