import { readIfExists, type Database } from '../../server/database';
import { ORDERS, type Order } from '../orders/model';
import { COURSES } from './courses';
import { SNAPSHOTS } from './home';

/** The watermark of the sales counted into `courses.stats.sales`, in `catalog_snapshots`. */
const WATERMARK = 'sales';

/**
 * Payments are counted once they are this old: `paidAt` is stamped inside the payment's transaction, a
 * moment before it commits, so a window ending at "now" could miss an order that commits just after the
 * read. A minute is far longer than any transaction lives.
 */
export const SALES_LAG_MS = 60_000;

interface SalesWatermark {
  countedUntil: Date;
}

/**
 * Adds the courses sold since the last count to each course's `stats.sales` (the "N人已学" of the
 * catalog), less those refunded: orders with `paidAt`, and paid orders with `refund.refundedAt`, in
 * (countedUntil, now - lag], grouped by course in two aggregates; then the counters and the watermark in
 * one transaction, which checks that no other run moved the watermark meanwhile (then it writes nothing
 * and counts 0). Exactly once per payment and refund, off the purchase path: a purchase costs no request
 * for it, and no purchase waits on a popular course's counter document. Gift orders count for their
 * course; memberships for none; money that bought nothing (`needsRefund`, never paid) neither way.
 */
export async function countSales(db: Database, now: Date): Promise<{ sold: number }> {
  const until = new Date(now.getTime() - SALES_LAG_MS);
  const { data } = await db.collection<SalesWatermark>(SNAPSHOTS).where({ _id: WATERMARK }).get();
  const from = data[0]?.countedUntil;
  if (from && from >= until) return { sold: 0 };

  const _ = db.command;
  const window = from ? _.gt(from).and(_.lte(until)) : _.lte(until);
  const perCourse = async (match: Record<string, unknown>) => {
    const { list } = await db
      .collection<Order>(ORDERS)
      .aggregate()
      .match({ ...match, 'item.courseId': _.exists(true) })
      .group({ _id: '$item.courseId', count: _.aggregate.sum(1) })
      .limit(1000)
      .end();
    return list as Array<{ _id: string; count: number }>;
  };
  const [sold, refunded] = await Promise.all([perCourse({ paidAt: window }), perCourse({ 'refund.refundedAt': window, paidAt: _.exists(true) })]);
  const change = new Map<string, number>();
  for (const { _id, count } of sold) change.set(_id, (change.get(_id) ?? 0) + count);
  for (const { _id, count } of refunded) change.set(_id, (change.get(_id) ?? 0) - count);

  const counted = await db.runTransaction(async (tx) => {
    const current = await readIfExists<SalesWatermark>(tx, SNAPSHOTS, WATERMARK);
    if (current?.countedUntil.getTime() !== from?.getTime()) return false;
    for (const [courseId, by] of change) {
      if (by !== 0) await tx.collection(COURSES).doc(courseId).update({ data: { 'stats.sales': _.inc(by) } });
    }
    await tx.collection<SalesWatermark>(SNAPSHOTS).doc(WATERMARK).set({ data: { countedUntil: until } });
    return true;
  });
  return { sold: counted ? [...change.values()].reduce((sum, by) => sum + by, 0) : 0 };
}
