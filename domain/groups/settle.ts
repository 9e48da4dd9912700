/**
 * The end of a group's window: a group still short fails, and every member's payment goes back, by the
 * product itself (`requestedBy: 'system'`). Nobody had access (a group grants it only when complete), so
 * the refunds revoke nothing; a payment arriving for the group later finds it ended and is refunded too.
 */
import type { Payments } from '../../server/payments';
import type { SettleGroupsReport } from '../contracts/groups';
import type { Order } from '../orders/model';
import { readOrder, saveOrder } from '../orders/store';
import { startAutomaticRefund } from '../refunds/automatic';
import { submitRefund } from '../refunds/submit';
import { readIfExists, type Database } from '../../server/database';
import { GROUPS, type Group } from './model';

/** Groups failed per run, oldest first: each is a transaction over its members' orders. What does not fit waits for the next run. */
export const SETTLE_GROUPS_PAGE = 20;

/** Orders of a failed group whose money goes back: those still holding it (a refund under way is left to finish). */
const OWED: ReadonlySet<Order['status']> = new Set(['paid', 'refundRequested']);

/**
 * Fails `groupId` if it is still open past its window, and starts the refund of every member's payment in
 * the same transaction (begin, the group, each member's order, their writes, commit). Answers the orders
 * to submit, or null when another run got there first or the group completed meanwhile.
 */
async function failGroup(db: Database, groupId: string, now: Date): Promise<Order[] | null> {
  return db.runTransaction(async (tx) => {
    const group = await readIfExists<Omit<Group, '_id'>>(tx, GROUPS, groupId);
    if (group?.status !== 'open' || group.expiresAt > now) return null;
    const refunding: Order[] = [];
    for (const seat of group.seats) {
      const order = await readOrder(tx, seat.orderId);
      if (!order || !OWED.has(order.status)) continue;
      const next = startAutomaticRefund(order, '拼团未成功，款项将原路退回', now);
      await saveOrder(tx, next);
      refunding.push(next);
    }
    await tx.collection(GROUPS).doc(groupId).update({ data: { status: 'failed', failedAt: now } });
    return refunding;
  });
}

/**
 * The timer's pass: open groups past their window (a page, oldest first, `status_expiresAt`), each failed
 * with its refunds committed, then each refund asked of its provider. A refund the provider cannot take
 * now stays `refunding` and settleOrders' reconciliation asks again under the same number.
 */
export async function settleGroups(db: Database, payments: Payments, now: Date): Promise<SettleGroupsReport> {
  const { data } = await db
    .collection<Group>(GROUPS)
    .where({ status: 'open', expiresAt: db.command.lte(now) })
    .orderBy('expiresAt', 'asc')
    .limit(SETTLE_GROUPS_PAGE)
    .field({ _id: true })
    .get();
  const report: SettleGroupsReport = { failed: 0, refunds: 0 };
  for (const { _id } of data) {
    const refunding = await failGroup(db, _id, now);
    if (!refunding) continue;
    report.failed++;
    for (const order of refunding) {
      await submitRefund(db, payments, order, order.refund!, now);
      report.refunds++;
    }
  }
  return report;
}
