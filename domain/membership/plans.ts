import type { Database } from '../../server/database';
import { ENTITLEMENTS, membershipEntitlementId, type Entitlement } from '../access/entitlements';
import type { ListPlansResponse, PlanView } from '../contracts/membership';

export const PLANS = 'plans';

/** A membership plan the school sells: paying it extends the buyer's membership by `durationDays`. */
export interface Plan {
  _id: string;
  title: string;
  /** one line under the title, e.g. "平均每月 ¥16.6" */
  subtitle: string;
  /** fen */
  amount: number;
  /** the list price struck through, when on sale */
  originalAmount?: number;
  durationDays: number;
  status: 'published' | 'offline';
  /** position on the membership page, ascending */
  order: number;
}

export const toPlanView = (plan: Plan): PlanView => ({
  id: plan._id,
  title: plan.title,
  subtitle: plan.subtitle,
  amount: plan.amount,
  ...(plan.originalAmount ? { originalAmount: plan.originalAmount } : {}),
  durationDays: plan.durationDays,
});

/** The learner's membership document, read by its `_id` (empty without a learner). */
export async function membershipEntitlement(db: Database, openid: string | undefined): Promise<Entitlement | undefined> {
  if (!openid) return undefined;
  return (await db.collection<Entitlement>(ENTITLEMENTS).where({ _id: membershipEntitlementId(openid) }).get()).data[0];
}

/** The active membership in `entitlement`, as the learner sees it: until when (never, when granted for good). */
export function activeMembership(entitlement: Entitlement | undefined, now: Date): { expiresAt?: Date } | null {
  if (entitlement?.status !== 'active') return null;
  if (!entitlement.expiresAt) return {};
  return entitlement.expiresAt > now ? { expiresAt: entitlement.expiresAt } : null;
}

/**
 * The membership page: the published plans in order and the caller's membership, in one round trip of
 * two requests (the plans, the membership by its `_id`), so the page can say "renew until ..." instead
 * of "join".
 */
export async function listPlans(db: Database, openid: string | undefined, now: Date): Promise<ListPlansResponse> {
  const [plans, membership] = await Promise.all([
    db.collection<Plan>(PLANS).where({ status: 'published' }).orderBy('order', 'asc').limit(20).get(),
    membershipEntitlement(db, openid),
  ]);
  return { plans: plans.data.map(toPlanView), membership: activeMembership(membership, now) };
}
