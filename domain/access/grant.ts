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

const sameSource = (a: EntitlementSource | undefined, b: EntitlementSource) => a?.kind === b.kind && a.orderId === b.orderId;

/**
 * The one place that creates entitlements, inside the caller's transaction (the same one that moves the
 * order), so access and money change together or not at all. Idempotent per (source, learner, item):
 * the entitlement's id is derived from the learner and the item, and a replay of the same source finds
 * its own grant. A revoked entitlement (refunded) is granted again by a new source.
 */
export async function grantAccess(tx: Transaction, grant: Grant, now: Date): Promise<GrantOutcome> {
  const id = courseEntitlementId(grant.openid, grant.item.courseId);
  const entitlements = tx.collection<Omit<Entitlement, '_id'>>(ENTITLEMENTS);
  const existing = await readIfExists<Omit<Entitlement, '_id'>>(tx, ENTITLEMENTS, id);
  if (existing?.status === 'active') return sameSource(existing.source, grant.source) ? 'alreadyGranted' : 'ownedElsewhere';
  await entitlements.doc(id).set({
    data: { openid: grant.openid, kind: 'course', courseId: grant.item.courseId, status: 'active', grantedAt: now, source: grant.source },
  });
  return 'granted';
}
