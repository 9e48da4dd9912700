/**
 * The load test's verdict, read from the ledgers only: the product's orders, entitlements and incidents
 * through the admin SDK, the pay sandbox's trades and deliveries through the control API. What the
 * learners were answered does not count here.
 */
import type { Entitlement } from '../../domain/access/entitlements';
import type { Incident } from '../../domain/orders/incidents';
import type { Order } from '../../domain/orders/model';
import type { Database, Query } from '../../server/database';
import type { EmulatorClient, PayDelivery, PayRefund, PayTrade } from '../bench/client';
import { int } from '../bench/format';
import type { GrowthPlan } from './growth';
import { checkGrowth, readGrowthLedger, type GrowthSnapshot } from './growth-ledger';
import { DELIVERIES_PER_PAYMENT, type LearnerPlan } from './learner';

export interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

/** Everything recorded about the learners of one run. */
export interface LedgerSnapshot {
  orders: Order[];
  entitlements: Entitlement[];
  incidents: Incident[];
  trades: PayTrade[];
  /** refunds of those trades */
  refunds: PayRefund[];
  /** payment notifications of those trades */
  deliveries: PayDelivery[];
  /** what the growth phase left, when the run had one (growth-ledger.ts) */
  growth?: GrowthSnapshot;
}

/** A read answers at most 1,000 documents. */
const PAGE = 1000;
/** openids or order numbers per `in` condition, so each read stays small */
const CHUNK = 100;

async function readAll<T>(query: () => Query<T>): Promise<T[]> {
  const all: T[] = [];
  for (;;) {
    const { data } = await query().skip(all.length).limit(PAGE).get();
    all.push(...data);
    if (data.length < PAGE) return all;
  }
}

const chunks = <T>(items: T[]) => Array.from({ length: Math.ceil(items.length / CHUNK) }, (_, i) => items.slice(i * CHUNK, (i + 1) * CHUNK));

async function readByChunks<T>(items: string[], read: (chunk: string[]) => Promise<T[]>): Promise<T[]> {
  return (await Promise.all(chunks(items).map(read))).flat();
}

/** Reads the ledgers of these learners, and of the growth phase's groups, coupons and commissions when given its plan. */
export async function readLedger(db: Database, client: EmulatorClient, learners: LearnerPlan[], growth?: GrowthPlan): Promise<LedgerSnapshot> {
  const openids = learners.map((l) => l.openid);
  const _ = db.command;
  const byField = <T>(collection: string, field: string, values: string[]) =>
    readByChunks(values, (chunk) => readAll(() => db.collection<T>(collection).where({ [field]: _.in(chunk) })));
  const byOpenid = <T>(collection: string) => byField<T>(collection, 'openid', openids);
  const [orders, entitlements, incidentsOfLearners, pay] = await Promise.all([
    byOpenid<Order>('orders'),
    byOpenid<Entitlement>('entitlements'),
    byOpenid<Incident>('incidents'),
    client.payLedger(),
  ]);
  const learnerSet = new Set(openids);
  const trades = pay.trades.filter((t) => learnerSet.has(t.openid));
  const tradeNos = new Set(trades.map((t) => t.outTradeNo));
  const deliveries = pay.deliveries.filter((d) => d.kind === 'payment' && tradeNos.has(d.key));
  const refunds = pay.refunds.filter((r) => tradeNos.has(r.outTradeNo));
  // An incident about an order number the product never issued names no learner: found by the trade's number.
  const incidentsOfTrades = await readByChunks([...tradeNos], (chunk) =>
    readAll(() => db.collection<Incident>('incidents').where({ outTradeNo: _.in(chunk) })),
  );
  const incidents = [...new Map([...incidentsOfLearners, ...incidentsOfTrades].map((i) => [i._id, i])).values()];
  return { orders, entitlements, incidents, trades, refunds, deliveries, ...(growth ? { growth: await readGrowthLedger(db, byField, pay, growth, openids) } : {}) };
}

const countBy = <T>(items: T[], key: (item: T) => string) =>
  items.reduce((counts, item) => counts.set(key(item), (counts.get(key(item)) ?? 0) + 1), new Map<string, number>());
const describe = (counts: Map<string, number>) => [...counts].map(([key, n]) => `${key} ${int(n)}`).join(', ') || 'none';
/** The course an order buys for its learner (a gift or a membership buys none). */
const courseOf = (order: Order) => (order.item.kind === 'course' ? order.item.courseId : undefined);
/** What payNotify answered a delivery: `paid`, `replay`... (`{errcode: 0, errmsg}`) */
export const errmsgOf = (result: unknown) => String((result as { errmsg?: unknown } | undefined)?.errmsg);

/** Orders whose state is final, or that reconciliation settles on its own (pending, unpaid at the provider). */
const FINAL: ReadonlySet<Order['status']> = new Set(['paid', 'closed', 'refunded']);
const sum = (fees: number[]) => fees.reduce((a, b) => a + b, 0);

/**
 * The checks of issue 9 over a snapshot, which hold whatever failed on the way: every paid trade granted
 * exactly once, no grant without a payment the provider took, no order stuck outside a final or
 * reconcilable state, and every fen taken accounted for.
 */
function checkMoney(ledger: LedgerSnapshot): Check[] {
  const { orders, entitlements, trades, refunds } = ledger;
  const ordersById = new Map(orders.map((o) => [o._id, o]));
  const tradesByNo = new Map(trades.map((t) => [t.outTradeNo, t]));
  const paidTrades = trades.filter((t) => t.state === 'SUCCESS');
  const orderGrants = entitlements.filter((e) => e.status === 'active' && e.source?.kind === 'order');
  const grantsPerOrder = countBy(orderGrants, (e) => (e.source?.kind === 'order' ? e.source.orderId : ''));
  const notOnce = paidTrades.filter((t) => {
    const order = ordersById.get(t.outTradeNo);
    return order?.status !== 'paid' || grantsPerOrder.get(t.outTradeNo) !== 1 || order.history.filter((h) => h.to === 'paid').length !== 1;
  });
  const unconfirmed = orderGrants.filter((e) => {
    const orderId = e.source?.kind === 'order' ? e.source.orderId : '';
    const trade = tradesByNo.get(orderId);
    return trade?.state !== 'SUCCESS' || trade.totalFee !== ordersById.get(orderId)?.payment?.amount;
  });
  const stuck = orders.filter((o) => !FINAL.has(o.status) && !(o.status === 'pending' && tradesByNo.get(o._id)?.state !== 'SUCCESS'));
  const moneyIn = sum(paidTrades.map((t) => t.totalFee));
  const refunded = sum(refunds.filter((r) => r.status === 'SUCCESS').map((r) => r.refundFee));
  const kept = sum(orders.filter((o) => o.status !== 'refunded').map((o) => o.payment?.amount ?? 0));
  return [
    {
      name: 'every paid trade granted exactly once',
      ok: notOnce.length === 0,
      detail: `${int(paidTrades.length)} paid trades; ${int(notOnce.length)} not paid once with one grant`,
    },
    {
      name: 'no grant without a payment the provider confirms',
      ok: unconfirmed.length === 0,
      detail: `${int(orderGrants.length)} grants from orders; ${int(unconfirmed.length)} without a paid trade of the order's amount`,
    },
    {
      name: 'no order stuck outside a final or reconcilable state',
      ok: stuck.length === 0,
      detail: `${describe(countBy(orders, (o) => o.status))}; stuck: ${describe(countBy(stuck, (o) => o.status))}`,
    },
    {
      name: 'money in = money kept + money refunded',
      ok: moneyIn === kept + refunded,
      detail: `${int(moneyIn)} fen = ${int(kept)} + ${int(refunded)}`,
    },
  ];
}

/**
 * The checks of issue 5's load test over a snapshot: orders paid = sandbox trades paid = active
 * entitlements from orders = learners, one order and one entitlement per learner, nothing pending,
 * every callback delivered twice and applied once, no incidents; then issue 9's money checks. Under
 * `faults` a delivery may also end given up after WeChat's last retry (its function died every time):
 * reconciliation settles those, and the money checks say whether it did. With a growth phase, its
 * checks follow (growth-ledger.ts).
 */
export function checkLedger(ledger: LedgerSnapshot, learners: LearnerPlan[], { faults = false } = {}): Check[] {
  const n = learners.length;
  const { orders, entitlements, incidents, trades, deliveries } = ledger;
  const paidOrders = new Map(orders.filter((o) => o.status === 'paid').map((o) => [o._id, o]));
  const paidTrades = trades.filter((t) => t.state === 'SUCCESS');
  const granted = entitlements.filter((e) => {
    const order = e.source?.kind === 'order' ? paidOrders.get(e.source.orderId) : undefined;
    return e.status === 'active' && order?.openid === e.openid && courseOf(order) === e.courseId;
  });
  const ordersPerLearner = countBy(orders, (o) => o.openid);
  const plannedCourse = new Map(learners.map((l) => [l.openid, l.course.id]));
  const offPlan = orders.filter((o) => courseOf(o) !== plannedCourse.get(o.openid));
  const ordersById = new Map(orders.map((o) => [o._id, o]));
  const unmatchedTrades = paidTrades.filter((t) => paidOrders.get(t.outTradeNo)?.amount !== t.totalFee);
  const sameItem = [...countBy(entitlements, (e) => `${e.openid} ${e.kind} ${e.courseId ?? ''}`).values()].filter((count) => count > 1);
  const deliveriesPerTrade = countBy(deliveries, (d) => d.key);
  const wrongCopies = paidTrades.filter((t) => deliveriesPerTrade.get(t.outTradeNo) !== DELIVERIES_PER_PAYMENT);
  const answers = new Map<string, string[]>();
  for (const d of deliveries) {
    for (const a of d.attempts) if (a.outcome === 'acknowledged') answers.set(d.key, [...(answers.get(d.key) ?? []), errmsgOf(a.result)]);
  }
  // One transition to paid per order. A delivery whose function timed out after committing is retried
  // and answers "replay", so a payment may have no "paid" answer, but never two.
  const notOnce = paidTrades.filter((t) => {
    const said = answers.get(t.outTradeNo) ?? [];
    const transitions = ordersById.get(t.outTradeNo)?.history.filter((h) => h.to === 'paid').length;
    return transitions !== 1 || said.filter((a) => a === 'paid').length > 1 || said.some((a) => a !== 'paid' && a !== 'replay');
  });

  return [
    {
      name: 'orders paid = sandbox trades paid = active entitlements from orders = learners',
      ok: paidOrders.size === n && paidTrades.length === n && granted.length === n,
      detail: `${int(paidOrders.size)} = ${int(paidTrades.length)} = ${int(granted.length)} = ${int(n)}`,
    },
    {
      name: 'one order per learner, for the course they chose',
      ok: orders.length === n && ordersPerLearner.size === n && offPlan.length === 0,
      detail: `${int(orders.length)} orders of ${int(ordersPerLearner.size)} learners; ${int(offPlan.length)} for another course`,
    },
    {
      name: 'no order left pending (every order paid)',
      ok: orders.every((o) => o.status === 'paid'),
      detail: describe(countBy(orders, (o) => o.status)),
    },
    {
      name: 'every sandbox trade paid, for its order and amount',
      ok: trades.length === n && paidTrades.length === n && unmatchedTrades.length === 0 && trades.every((t) => ordersById.has(t.outTradeNo)),
      detail: `${describe(countBy(trades, (t) => t.state))}; ${int(unmatchedTrades.length)} without a paid order of that amount`,
    },
    {
      name: 'no duplicate entitlements: one per learner and course',
      ok: entitlements.length === n && sameItem.length === 0,
      detail: `${int(entitlements.length)} entitlements; ${int(sameItem.length)} items held more than once`,
    },
    {
      name: `every callback delivered ${DELIVERIES_PER_PAYMENT} times and acknowledged${faults ? ", or given up after WeChat's last retry" : ''}`,
      ok: wrongCopies.length === 0 && deliveries.every((d) => d.status === 'delivered' || (faults && d.status === 'failed')),
      detail: `${int(deliveries.length)} deliveries: ${describe(countBy(deliveries, (d) => d.status))}; ${int(wrongCopies.length)} trades with another count`,
    },
    {
      name: 'each payment applied once: one transition to paid, every other delivery answered "replay"',
      ok: notOnce.length === 0,
      detail: `answers ${describe(countBy([...answers.values()].flat(), (a) => a))}; ${int(notOnce.length)} payments otherwise`,
    },
    {
      name: 'no incidents',
      ok: incidents.length === 0,
      detail: describe(countBy(incidents, (i) => i.kind)),
    },
    ...checkMoney(ledger),
    ...(ledger.growth ? checkGrowth(ledger, ledger.growth) : []),
  ];
}
