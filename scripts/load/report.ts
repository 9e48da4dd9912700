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
      ` + payNotify ${spread(db.payNotifyPaying)}, over ${int(db.perPurchase?.n ?? 0)} single-tap purchases`,
    `   a duplicate delivery (replay) ${spread(db.payNotifyReplay)}; a double tap's two createOrder calls ${spread(db.doubleTapCreateOrders)}`,
    `duplicate deliveries acknowledged: ${int(r.duplicatesAcknowledged)}; delivery attempts retried: ${int(r.retries)}`,
    `payment provider calls per purchase: ${r.providerCallsPerPurchase.toFixed(2)}`,
    ...rateLines(r),
    ...faultLines(r),
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
