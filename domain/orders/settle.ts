import type { Database } from '../../server/database';
import type { Messages } from '../../server/messages';
import type { Payments } from '../../server/payments';
import { closeOrder } from './close';
import { ORDERS, type Order } from './model';
import { confirmPayment, type PaymentOutcome } from './payment';
import { emptyRefundReport, settleRefund, type RefundSettleReport } from '../refunds/settle';

/**
 * A pending order (or a refund) this old is asked about at its provider. Callbacks normally arrive within
 * seconds and WeChat's first retries come within a minute; a few minutes later a missing one is most
 * likely lost.
 */
export const RECONCILE_AFTER_MS = 5 * 60_000;
/** An order still unpaid this long after it was created is closed: the pay sheet has long been abandoned. */
export const ORDER_TIMEOUT_MS = 30 * 60_000;
/**
 * Orders settled per run, oldest first: bounds a run (a provider query each, a transaction for those that
 * change) well inside the function's timeout. What does not fit waits for the next run.
 */
export const SETTLE_PAGE_SIZE = 50;
/** Orders settled at once within a page: provider calls overlap without flooding the provider. */
const CONCURRENCY = 5;

/**
 * What a run did with each order: a payment outcome when the provider reported it paid; `closed` when it
 * timed out unpaid; `waiting` when it is unpaid but not yet timed out (or was paid while being closed: its
 * payment is applied by its callback or the next run); `failed` when the provider or database failed
 * (logged; the next run tries again).
 */
export type SettleOutcome = PaymentOutcome | 'closed' | 'waiting' | 'failed';
/** The pending orders' outcomes, and the refunding orders' (`refunds`). */
export type SettleReport = Record<SettleOutcome, number> & { refunds: RefundSettleReport };

async function settle(db: Database, payments: Payments, messages: Messages, order: Order, now: Date): Promise<SettleOutcome> {
  const payment = await payments.of(order.provider).queryPayment(order);
  // The same path as the callback: a callback arriving later for this payment is a replay.
  if (payment) return confirmPayment(db, payments, messages, payment, now);
  if (order.createdAt.getTime() > now.getTime() - ORDER_TIMEOUT_MS) return 'waiting';
  const closed = await closeOrder(db, payments, order, 'timed out unpaid', now);
  return closed === 'paid' ? 'waiting' : 'closed';
}

/** Settles a page `CONCURRENCY` orders at a time, counting outcomes; a failure is logged and counted as `failed`. */
async function settlePage<O extends string>(page: Order[], report: Record<O | 'failed', number>, settleOne: (order: Order) => Promise<O>): Promise<void> {
  for (let i = 0; i < page.length; i += CONCURRENCY) {
    const outcomes = await Promise.all(
      page.slice(i, i + CONCURRENCY).map((order) =>
        settleOne(order).catch((e: unknown): 'failed' => {
          console.error(`settling order ${order._id}:`, e);
          return 'failed';
        }),
      ),
    );
    for (const outcome of outcomes) report[outcome]++;
  }
}

/**
 * The timer's pass over pending orders older than `reconcileAfterMs` (a page, oldest first, through the
 * `status_createdAt` index): one the provider reports paid is completed through `confirmPayment`, exactly
 * as its lost callback would have; one unpaid past `ORDER_TIMEOUT_MS` is closed at the provider, then
 * `pending -> closed` (`closeOrder`), and never when the provider reports it paid. Two overlapping runs
 * are harmless: both paths are transactions that re-read the order, and a second close or payment of the
 * same order changes nothing.
 *
 * `reconcileAfterMs` (default `RECONCILE_AFTER_MS`) lets an operator reconcile younger orders at once.
 *
 * Then refunds: orders `refunding` whose refund was asked for more than `reconcileAfterMs` ago (a page,
 * oldest first, through the `status_refundRequestedAt` index) are settled from the provider's answer
 * (`settleRefund`: completed, returned after a failure, or asked for again), through the refund
 * callback's own paths. Both pages are read at once: 2 requests when there is nothing to do.
 */
export async function settleOrders(db: Database, payments: Payments, messages: Messages, now: Date, reconcileAfterMs = RECONCILE_AFTER_MS): Promise<SettleReport> {
  const before = db.command.lt(new Date(now.getTime() - reconcileAfterMs));
  const [{ data: pending }, { data: refunding }] = await Promise.all([
    db.collection<Order>(ORDERS).where({ status: 'pending', createdAt: before }).orderBy('createdAt', 'asc').limit(SETTLE_PAGE_SIZE).get(),
    db.collection<Order>(ORDERS).where({ status: 'refunding', 'refund.requestedAt': before }).orderBy('refund.requestedAt', 'asc').limit(SETTLE_PAGE_SIZE).get(),
  ]);
  const report: SettleReport = { paid: 0, replay: 0, needsRefund: 0, incident: 0, refunding: 0, closed: 0, waiting: 0, failed: 0, refunds: emptyRefundReport() };
  await settlePage<SettleOutcome>(pending, report, (order) => settle(db, payments, messages, order, now));
  await settlePage(refunding, report.refunds, (order) => settleRefund(db, payments, order, now));
  return report;
}
