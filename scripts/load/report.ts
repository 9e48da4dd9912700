/** The load test's figures and ledger checks as readable text. */
import { int, ms, table } from '../bench/format';
import type { Summary } from '../bench/stats';
import { DELIVERIES_PER_PAYMENT } from './learner';
import type { LoadResult, Spread } from './run';

export interface Machine {
  node: string;
  cpus: string;
  loadAverage: number;
}

const seconds = (milliseconds: number) => `${(milliseconds / 1000).toFixed(1)} s`;
const latencyRow = (label: string, s: Summary | undefined) => (s ? [label, int(s.n), ms(s.p50), ms(s.p99), ms(s.max)] : [label, '0', '-', '-', '-']);
/** `8`, or `mean 8.1 (8-9)` when the count varied */
const spread = (s: Spread | undefined) => (!s ? '-' : s.min === s.max ? String(s.min) : `mean ${s.mean.toFixed(2)} (${s.min}-${s.max})`);

export const failedChecks = (r: LoadResult) => r.checks.filter((c) => !c.ok);

/** Peak and mean of per-second samples, e.g. "peak 310/s, mean 120/s over 30 s". */
const rate = (perSecond: number[]) =>
  perSecond.length ? `peak ${int(Math.max(...perSecond))}/s, mean ${int(perSecond.reduce((a, b) => a + b, 0) / perSecond.length)}/s over ${perSecond.length} s` : 'no sample';

/** DB requests per second while buying, and while playing when the learners played. */
function rateLines({ dbPerSecond, play }: LoadResult): string[] {
  return [
    `DB requests per second while buying (callbacks included): ${rate(dbPerSecond.purchase)}`,
    ...(play
      ? [
          `DB requests per second while ${int(play.players)} learners opened a lesson (getLesson, over ${play.openingSec} s): ${rate(play.perSecond.slice(0, play.openingSec))}`,
          `DB requests per second while they played on (one save each, spread over the next ${play.windowSec - play.openingSec} s): ${rate(play.perSecond.slice(play.openingSec + 1))}`,
        ]
      : []),
  ];
}

/** What the faults did and what settling took, when the run injected faults. */
function faultLines({ faults: f }: LoadResult): string[] {
  if (!f) return [];
  const byKey = (counts: Record<string, number>) =>
    Object.entries(counts)
      .filter(([, n]) => n > 0)
      .map(([key, n]) => `${key} ${int(n)}`)
      .join(', ') || 'none';
  return [
    '',
    `faults injected: ${Math.round(f.injected.killInvocations * 100)}% of invocations killed, ${Math.round(f.injected.providerFailures * 100)}% of provider calls failing`,
    `   invocations killed: ${int(f.invocationsKilled.total)} (before running ${int(f.invocationsKilled.byPoint.before)}, between DB requests ${int(f.invocationsKilled.byPoint.between)},` +
      ` after returning ${int(f.invocationsKilled.byPoint.after)}); by function: ${byKey(f.invocationsKilled.byFunction)}`,
    `   provider calls failed: ${int(f.providerFailures.total)} (SYSTEMERROR ${int(f.providerFailures.byKind.systemError)}, timeout ${int(f.providerFailures.byKind.timeout)}); by API: ${byKey(f.providerFailures.byApi)}`,
    `   learners' calls retried: ${int(f.learnerRetries)}; settleOrders runs: ${int(f.reconcileRuns)} (${int(f.reconcileRunsFailed)} killed or failed),` +
      ` payments it applied: ${int(f.reconciledPayments)}`,
    `   time to settle, from the last learner done until nothing was left to reconcile: ${seconds(f.timeToSettleMs)}`,
  ];
}

/**
 * Issue 5's target for a purchase, raised from 8 by issue 12: createOrder reads the buyer's referral binding
 * for distribution (one request, alongside the entitlements), so a plain purchase is createOrder 4 + payNotify 5.
 */
export const PURCHASE_DB_REQUESTS_TARGET = 9;

/** What the growth phase did, when the run had one. */
function growthLines({ growth: g, dbRequests: db }: LoadResult): string[] {
  if (!g) return [];
  const c = g.claims;
  const groups = g.groups;
  return [
    '',
    `growth: distribution on at ${g.options.rate}%, ${int(g.promoters)} promoters, ${int(g.bound)} learners and group members bound to one before buying`,
    `   coupon race: ${int(c.learners)} learners, ${int(c.claims)} claims at once for a stock of ${int(c.stock)}: ${int(c.won)} won, ${int(c.soldOut)} sold out,` +
      ` ${int(c.overLimit)} over the limit of one, ${int(c.busy)} too busy; ${int(g.couponPurchases)} bought with their coupon`,
    `   groups: ${int(groups.opened)} opened (${int(groups.complete)} complete, ${int(groups.open)} open, ${int(groups.failed)} failed), ${int(groups.seats)} seats;` +
      ` ${int(groups.racers)} learners raced for the seats left, ${int(groups.racersPaid)} paid (${int(groups.refusedAtOrder)} refused at createOrder)`,
    `   automatic refunds of payments that found no seat: ${int(groups.automaticRefunds)}, completed in the sandbox and settled by refundNotify: ${int(groups.refundsSettled)}`,
    `   commissions: ${int(g.commissions.count)} (${int(g.commissions.pending)} pending, ${int(g.commissions.reversed)} reversed), ${int(g.commissions.pendingFen)} fen pending`,
    `   DB requests: claimCoupon that won ${spread(db.claimCoupon)}; createOrder with a coupon ${spread(db.createOrderWithCoupon)}, of a bound buyer ${spread(db.createOrderReferred)},` +
      ` joining a group ${spread(db.groupCreateOrder)}`,
    `   DB requests of a group payment: taking a seat ${spread(db.groupPaymentSeat)}, completing the group (granting every member) ${spread(db.groupPaymentCompleting)},` +
      ` finding no seat (refund started) ${spread(db.groupPaymentNoSeat)}`,
  ];
}

export function formatReport(r: LoadResult, machine: Machine): string {
  const { options: o, dbRequests: db } = r;
  const failed = failedChecks(r);
  return [
    `zhishi-cloud load test — node ${machine.node}, ${machine.cpus} (load ${machine.loadAverage.toFixed(1)} at start)`,
    `${int(o.learners)} learners (${int(Math.min(o.concurrency, o.learners))} at once, ${int(r.doubleTaps)} double-tapping "buy") over the demo's` +
      ` ${r.paidCourses} paid courses, at most ${Math.max(...r.pools.map((p) => p.maxInstances))} instances per function`,
    `each browses (getHome, listCourses, getCourse), orders and pays; the sandbox delivers every payment callback ${DELIVERIES_PER_PAYMENT} times`,
    '',
    `wall time: ${seconds(r.learnersMs)} until the last learner had paid: ${int(r.purchases)} purchases, ${r.purchasesPerSecond.toFixed(1)} purchases/s;` +
      ` last callback answered at ${seconds(r.settledMs)}`,
    ...table(
      ['', 'n', 'p50 ms', 'p99 ms', 'max ms'],
      [
        ...Object.entries(r.latencyMs).map(([name, s]) => latencyRow(`${name}, round trip`, s)),
        latencyRow('payNotify, every delivery attempt (emulator record)', r.payNotifyMs.all),
        latencyRow('payNotify, the one applying the payment', r.payNotifyMs.paying),
        latencyRow('payNotify, a duplicate (replay)', r.payNotifyMs.replay),
      ],
    ),
    '   wx.requestPayment answers once the first callback delivery was answered; payNotify records count from the',
    '   call reaching the emulator to the answer, waiting for a free instance included',
    '',
    `DB requests per purchase (createOrder + payNotify): ${spread(db.perPurchase)} = createOrder ${spread(db.createOrder)}` +
      ` + payNotify ${spread(db.payNotifyPaying)}, over ${int(db.perPurchase?.n ?? 0)} single-tap purchases without a coupon or a referral` +
      ` (target: at most ${PURCHASE_DB_REQUESTS_TARGET}, createOrder 4 with one read of the buyer's referral binding for distribution + payNotify 5)`,
    `   a duplicate delivery (replay) ${spread(db.payNotifyReplay)}; a double tap's two createOrder calls ${spread(db.doubleTapCreateOrders)}`,
    `duplicate deliveries acknowledged: ${int(r.duplicatesAcknowledged)}; delivery attempts retried: ${int(r.retries)}`,
    `payment provider calls per purchase: ${r.providerCallsPerPurchase.toFixed(2)}`,
    ...rateLines(r),
    ...faultLines(r),
    ...growthLines(r),
    '',
    'function instance pools during the run',
    ...table(
      ['function', 'new instances', 'warm starts', 'peak / max instances'],
      r.pools.map((p) => [p.name, int(p.coldStarts), int(p.warmStarts), `${p.peakInstances} / ${p.maxInstances}`]),
    ),
    '',
    'ledger checks',
    ...r.checks.map((c) => `   ${c.ok ? 'ok    ' : 'FAILED'}  ${c.name}: ${c.detail}`),
    ...r.failures.slice(1, 5).map((f) => `   also failed: ${f.openid}: ${f.error}`),
    '',
    failed.length ? `FAILED: ${failed.map((c) => c.name).join('; ')}` : `all ${r.checks.length} checks passed`,
  ].join('\n');
}
