/**
 * Issue 5's load test against a running emulator: many learners at once browsing, ordering and paying
 * (learner.ts), every payment callback delivered twice; then, once the deliveries settled, the figures
 * and the ledger checks (ledger.ts). With `faults` (issue 9) the emulator kills a share of invocations
 * and fails a share of provider calls meanwhile: learners tap again as they would, and once the
 * callbacks' retries are over settleOrders reconciles what they could not settle, before the same checks.
 * With `growth` (issue 12, growth.ts) the owner turns distribution on and a coupon is raced for before the
 * learners start, some of whom buy bound to a promoter or with the coupon they won; after them groups open
 * and more learners than seats race to join, the payments finding no seat refunded; its ledger checks follow
 * (growth-ledger.ts).
 * `npm run load` runs it on a fresh emulator (scripts/load.ts); the test suite runs small ones
 * (test/functions/load.test.ts).
 */
import { randomBytes } from 'node:crypto';
import { Agent } from 'node:http';
import { resolve } from 'node:path';
import type { Reply } from '../../domain/contracts/result';
import type { SettleReport } from '../../domain/orders/settle';
import { connectSdk } from '../../emulator/src/sdk';
import { database } from '../../server/database';
import { EmulatorClient, type FaultReport, type InvocationRecord, type PayDelivery } from '../bench/client';
import { int } from '../bench/format';
import { msSince, summarize, type Summary } from '../bench/stats';
import { checkLedger, errmsgOf, readLedger, type Check } from './ledger';
import {
  assignGrowthRoles,
  completeAutomaticRefunds,
  demoGroupCourses,
  planGroups,
  runGroups,
  setUpGrowth,
  type ClaimFigures,
  type GrowthFailure,
  type GrowthOptions,
  type GrowthPlan,
  type GrowthSetup,
} from './growth';
import { demoPaidLessons, playAtOnce, sampleDbRequests, type PlayResult } from './play';
import { DELIVERIES_PER_PAYMENT, demoPaidCourses, GIVE_UP_AT_ONCE, planLearners, purchase, type LearnerPlan, type Persistence, type Purchase } from './learner';

const root = resolve(__dirname, '../..');

/** The functions a purchase runs, whose instance pools the report shows. */
const FUNCTIONS = ['getHome', 'listCourses', 'getCourse', 'createOrder', 'payNotify'];
const SETTLE_POLL_MS = 100;
/** A learner under faults taps again up to this often, a little later each time. */
const PERSISTENT_LEARNER: Persistence = { attempts: 8, backoffMs: 100 };
const RECONCILE_PAUSE_MS = 200;

/** The faults the emulator injects during the run (README, "Fault injection"). */
export interface LoadFaults {
  /** share of function invocations whose instance is killed */
  killInvocations: number;
  /** share of payment provider calls that fail (a system error, or a timeout) */
  providerFailures: number;
  /** how long a timed-out provider call hangs */
  providerTimeoutMs?: number;
  seed?: number;
}

export interface LoadTarget {
  url: string;
  /** `<data>/sdk.env` of the emulator: the admin SDK reads the product's ledgers through it */
  sdkEnv: Record<string, string>;
}

export interface LoadOptions {
  learners: number;
  /** learners in flight at once; the others start as those finish */
  concurrency: number;
  /** the share of learners who tap "buy" twice at once */
  doubleTapShare: number;
  /** how long the sandbox (and, with faults, reconciliation) may take to settle everything after the last learner paid */
  settleTimeoutMs: number;
  /** inject these faults during the run; absent: none */
  faults?: LoadFaults;
  /**
   * After buying, every learner opens a paid lesson and saves once, spread over this many seconds (the
   * player's save interval is what steady playing costs); 0 or absent: no playing.
   */
  playWindowSec?: number;
  /** coupon, referral and group-buy traffic (issue 12); absent: none. Not with `faults`: its checks expect every call answered */
  growth?: GrowthOptions;
}

/** What the faults did, and what it took to settle the ledger anyway. */
export interface FaultFigures {
  injected: LoadFaults;
  invocationsKilled: FaultReport['counters']['invocationsKilled'];
  providerFailures: FaultReport['counters']['providerFailures'];
  /** learners' calls tried again after a failure */
  learnerRetries: number;
  /** settleOrders runs until one found nothing left to settle; those that failed (killed) among them */
  reconcileRuns: number;
  reconcileRunsFailed: number;
  /** payments whose callbacks all failed, applied by settleOrders */
  reconciledPayments: number;
  /** from the last learner done until reconciliation found nothing left */
  timeToSettleMs: number;
}

/** What the growth phase did (the ledger checks say whether the ledgers balance). */
export interface GrowthFigures {
  options: GrowthOptions;
  /** who did what: the ledgers can be checked again with it (ledger.ts) */
  plan: GrowthPlan;
  promoters: number;
  /** learners and group members bound to a promoter before buying */
  bound: number;
  claims: Omit<ClaimFigures, 'dbRequestsWon'>;
  /** learners who bought with the coupon they won */
  couponPurchases: number;
  groups: {
    opened: number;
    complete: number;
    open: number;
    failed: number;
    seats: number;
    /** learners racing for the seats left, and how many paid: those who found no seat were refunded */
    racers: number;
    racersPaid: number;
    /** racers whose createOrder already found the group full */
    refusedAtOrder: number;
    /** the refunds the product started on its own (no seat), and those the sandbox completed and refundNotify settled */
    automaticRefunds: number;
    refundsSettled: number;
  };
  /** from the ledger: commissions of the run's orders, pending and reversed, and what is pending in fen */
  commissions: { count: number; pending: number; reversed: number; pendingFen: number };
  failures: GrowthFailure[];
}

/** Mean and range of a count, e.g. DB requests. */
export interface Spread {
  n: number;
  mean: number;
  min: number;
  max: number;
}

export interface LoadResult {
  options: LoadOptions;
  /** who bought what: the ledgers can be checked again with them (ledger.ts) */
  learners: LearnerPlan[];
  paidCourses: number;
  doubleTaps: number;
  /** learners who paid */
  purchases: number;
  /** learners whose journey broke, with why */
  failures: Array<{ openid: string; error: string }>;
  /** from the first learner's start until the last one had paid */
  learnersMs: number;
  /** until the last callback delivery attempt answered */
  settledMs: number;
  purchasesPerSecond: number;
  /** round trips as the learners saw them, by call (absent: no sample) */
  latencyMs: Record<string, Summary | undefined>;
  /** the emulator's records of payNotify (gateway to answer, queueing for an instance included) */
  payNotifyMs: { all?: Summary; paying?: Summary; replay?: Summary };
  dbRequests: {
    /** createOrder + the payNotify that applied the payment, for learners who tapped once */
    perPurchase?: Spread;
    createOrder?: Spread;
    payNotifyPaying?: Spread;
    payNotifyReplay?: Spread;
    /** both createOrder calls of a double tap */
    doubleTapCreateOrders?: Spread;
    /** growth: a claim that won a coupon; createOrder with a coupon (buyer bound to nobody) and of a bound buyer (no coupon) */
    claimCoupon?: Spread;
    createOrderWithCoupon?: Spread;
    createOrderReferred?: Spread;
    /** growth: a racer's createOrder joining a group; the payment taking a seat, the one completing the group (granting everyone), one finding no seat (refunded) */
    groupCreateOrder?: Spread;
    groupPaymentSeat?: Spread;
    groupPaymentCompleting?: Spread;
    groupPaymentNoSeat?: Spread;
  };
  duplicatesAcknowledged: number;
  /** delivery attempts after a first one that was not acknowledged */
  retries: number;
  /** payment providers' server API calls (unifiedOrder, queryOrder...) per learner who paid */
  providerCallsPerPurchase: number;
  faults?: FaultFigures;
  /** DB requests in each second: while the learners bought (and their callbacks settled), and while they played */
  dbPerSecond: { purchase: number[] };
  play?: PlayResult;
  growth?: GrowthFigures;
  pools: Array<{ name: string; coldStarts: number; warmStarts: number; peakInstances: number; maxInstances: number }>;
  checks: Check[];
}

const summaryOf = (samples: number[]) => (samples.length ? summarize(samples) : undefined);
function spreadOf(samples: number[]): Spread | undefined {
  if (!samples.length) return undefined;
  return { n: samples.length, mean: samples.reduce((a, b) => a + b, 0) / samples.length, min: Math.min(...samples), max: Math.max(...samples) };
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** What counters (numbers, nested in objects) added between two readings; a key the earlier reading lacks counts from 0. */
function countsSince<T>(now: T, before: T | undefined): T {
  if (typeof now === 'number') return (now - ((before as number | undefined) ?? 0)) as T;
  const earlier = before as Record<string, unknown> | undefined;
  return Object.fromEntries(Object.entries(now as Record<string, unknown>).map(([key, value]) => [key, countsSince(value, earlier?.[key])])) as T;
}

/** Polls the sandbox until every payment of `orderIds` has all its deliveries settled, or the deadline passes. */
async function settle(client: EmulatorClient, orderIds: Set<string>, deadline: number): Promise<PayDelivery[]> {
  for (;;) {
    const ours = (await client.payLedger()).deliveries.filter((d) => d.kind === 'payment' && orderIds.has(d.key));
    const done = ours.length === orderIds.size * DELIVERIES_PER_PAYMENT && ours.every((d) => d.status !== 'pending');
    if (done || Date.now() > deadline) return ours;
    await sleep(SETTLE_POLL_MS);
  }
}

/**
 * Runs settleOrders, reconciling every pending order now (as an operator would after an outage), until a
 * run finds nothing left to apply; a run that dies (it is a function like any other) is run again.
 */
async function reconcile(cloud: ReturnType<typeof connectSdk>, deadline: number) {
  let runs = 0;
  let failed = 0;
  let paid = 0;
  while (Date.now() < deadline) {
    runs++;
    try {
      const { result } = (await cloud.callFunction({ name: 'settleOrders', data: { reconcileAfterMs: 0 } })) as unknown as { result: Reply<SettleReport> };
      if (!result.ok) throw new Error(`${result.code} ${result.message}`);
      const r = result.data;
      paid += r.paid;
      if (r.paid + r.replay + r.needsRefund + r.incident + r.failed === 0) return { runs, failed, paid };
    } catch {
      failed++;
    }
    await sleep(RECONCILE_PAUSE_MS);
  }
  throw new Error(`settleOrders still found orders to settle after ${runs} runs`);
}

async function runLearners(
  client: EmulatorClient,
  plans: LearnerPlan[],
  concurrency: number,
  persistence: Persistence,
  couponOf: Map<string, string>,
  progress: (line: string) => void,
) {
  // One pool of kept-alive connections: a learner's calls reuse a connection as the mini program does.
  const agent = new Agent({ keepAlive: true });
  const purchases: Purchase[] = [];
  const failures: LoadResult['failures'] = [];
  const step = Math.max(1, Math.ceil(plans.length / 4));
  let next = 0;
  const learner = async () => {
    while (next < plans.length) {
      const plan = plans[next++]!;
      try {
        purchases.push(await purchase(client, agent, plan, persistence, couponOf.get(plan.openid)));
      } catch (e) {
        failures.push({ openid: plan.openid, error: (e as Error).message });
      }
      const done = purchases.length + failures.length;
      if (done % step === 0) progress(`${done} of ${plans.length} learners done`);
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(concurrency, plans.length) }, learner));
  } finally {
    agent.destroy();
  }
  return { purchases, failures };
}

export async function runLoad(target: LoadTarget, options: LoadOptions, progress: (line: string) => void = () => {}): Promise<LoadResult> {
  const client = new EmulatorClient(target.url);
  try {
    const cloud = connectSdk(target.sdkEnv);
    const db = database(cloud);
    const courses = demoPaidCourses(root);
    // Unique per run, so the ledgers of earlier runs on the same emulator do not count.
    const runId = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
    const plans = planLearners(runId, options.learners, courses, options.doubleTapShare);
    const growthOptions = options.faults ? undefined : options.growth;
    let growth: { setup: GrowthSetup; groups: ReturnType<typeof planGroups> } | undefined;
    if (growthOptions) {
      assignGrowthRoles(plans, growthOptions);
      const groups = planGroups(runId, growthOptions, demoGroupCourses(root));
      progress(`growth: distribution on at ${growthOptions.rate}%, promoters joining, learners binding, a coupon raced for`);
      const agent = new Agent({ keepAlive: true });
      try {
        growth = { setup: await setUpGrowth(client, agent, plans, groups, growthOptions), groups };
      } finally {
        agent.destroy();
      }
      const c = growth.setup.claims;
      progress(`growth: ${int(c.won)} of ${int(c.claims)} claims won a coupon (stock ${int(c.stock)}), ${int(Object.keys(growth.setup.plan.referrerOf).length)} learners bound`);
    }
    const before = await client.stats();

    progress(`${plans.length} learners, ${options.concurrency} at once, over ${courses.length} paid courses`);
    const faultsBefore = options.faults && (await client.setFaults(options.faults)).counters;
    const purchaseSampler = sampleDbRequests(client);
    if (options.faults) progress(`faults on: ${JSON.stringify(options.faults)}`);
    const startedAt = Date.now();
    const started = process.hrtime.bigint();
    const { purchases, failures } = await runLearners(
      client,
      plans,
      options.concurrency,
      options.faults ? PERSISTENT_LEARNER : GIVE_UP_AT_ONCE,
      growth?.setup.couponOf ?? new Map(),
      progress,
    );
    const learnersMs = msSince(started);
    const learnersDoneAt = Date.now();

    progress('waiting for the callback deliveries to settle');
    const deadline = Date.now() + options.settleTimeoutMs;
    const deliveries = await settle(client, new Set(purchases.map((p) => p.orderId)), deadline);
    const purchasePerSecond = await purchaseSampler.stop();
    let faults: FaultFigures | undefined;
    if (options.faults) {
      progress('reconciling with settleOrders');
      try {
        const reconciled = await reconcile(cloud, deadline);
        const timeToSettleMs = Date.now() - learnersDoneAt;
        const { invocationsKilled, providerFailures } = countsSince((await client.faults()).counters, faultsBefore!);
        faults = {
          injected: options.faults,
          invocationsKilled,
          providerFailures,
          learnerRetries: purchases.reduce((n, p) => n + p.retries, 0),
          reconcileRuns: reconciled.runs,
          reconcileRunsFailed: reconciled.failed,
          reconciledPayments: reconciled.paid,
          timeToSettleMs,
        };
      } finally {
        await client.setFaults({});
      }
    }
    const attempts = deliveries.flatMap((d) => d.attempts);
    const lastAnswer = Math.max(startedAt, ...attempts.map((a) => a.at));

    progress(`reading ${attempts.length} payNotify invocation records and the ledgers`);
    const records = new Map<string, InvocationRecord>();
    for (const a of attempts) if (a.invocationId) records.set(a.invocationId, await client.invocation(a.invocationId));
    const notifies = deliveries.flatMap((d) =>
      d.attempts.filter((a) => a.outcome === 'acknowledged' && a.invocationId).map((a) => ({ orderId: d.key, answer: errmsgOf(a.result), record: records.get(a.invocationId!)! })),
    );
    const paying = new Map(notifies.filter((x) => x.answer === 'paid').map((x) => [x.orderId, x.record]));
    const replays = notifies.filter((x) => x.answer === 'replay');

    const createOrders = (p: Purchase) => p.calls.filter((c) => c.name === 'createOrder').map((c) => c.dbRequests);
    const singleTaps = purchases.filter((p) => !p.plan.doubleTap && paying.has(p.orderId));
    // A purchase as issue 5 measured it: a buyer bound to nobody, without a coupon.
    const plainTaps = singleTaps.filter((p) => !p.couponId && !p.plan.growth?.referred);
    let play: PlayResult | undefined;
    if (options.playWindowSec && !options.faults) {
      progress(`the learners of courses with video or audio playing, each opening a lesson and saving once over ${options.playWindowSec} s`);
      const lessons = demoPaidLessons(root);
      const agent = new Agent({ keepAlive: true });
      try {
        const players = purchases.flatMap((p) => {
          const lessonId = lessons.get(p.plan.course.id);
          return lessonId ? [{ openid: p.plan.openid, lessonId }] : [];
        });
        play = await playAtOnce(client, agent, players, options.playWindowSec);
      } finally {
        agent.destroy();
      }
    }

    const after = await client.stats();
    const providerCalls = after.providerCalls.total - before.providerCalls.total;

    let groupRun: Awaited<ReturnType<typeof runGroupPhase>> | undefined;
    if (growth) {
      progress(`growth: ${growth.groups.length} groups opening, then ${int(growth.groups.reduce((n, g) => n + g.racers.length, 0))} learners racing for their seats`);
      groupRun = await runGroupPhase(client, growth.groups, Date.now() + options.settleTimeoutMs);
      progress(`growth: ${int(groupRun.refunds.length)} payments without a seat refunded automatically`);
    }
    const growthPlan: GrowthPlan | undefined = growth && { ...growth.setup.plan, groupMembers: growth.groups.flatMap((g) => [g.leader, ...g.racers]) };
    const ledger = await readLedger(db, client, plans, growthPlan);
    const checks = checkLedger(ledger, plans, { faults: !!options.faults });
    if (play) {
      checks.push({
        name: 'every player’s progress saved and credited',
        ok: play.failures.length === 0 && play.saved === play.players,
        detail: play.failures.length ? `${int(play.failures.length)} failed; first: ${play.failures[0]!.openid}: ${play.failures[0]!.error}` : `${int(play.saved)} saves`,
      });
    }
    const growthFailures = [...(growth?.setup.failures ?? []), ...(groupRun?.traffic.failures ?? [])];
    if (growth) {
      checks.unshift({
        name: 'every binding, coupon claim and group order answered',
        ok: growthFailures.length === 0,
        detail: growthFailures.length ? `${int(growthFailures.length)} failed; first: ${growthFailures[0]!.openid}: ${growthFailures[0]!.error}` : 'all answered',
      });
    }
    checks.unshift({
      name: 'every learner browsed, ordered and paid',
      ok: failures.length === 0,
      detail: failures.length ? `${int(failures.length)} failed; first: ${failures[0]!.openid}: ${failures[0]!.error}` : `${int(purchases.length)} purchases`,
    });

    const callNames = [...new Set(purchases.flatMap((p) => p.calls.map((c) => c.name)))];
    return {
      options,
      learners: plans,
      paidCourses: courses.length,
      doubleTaps: plans.filter((p) => p.doubleTap).length,
      purchases: purchases.length,
      failures,
      learnersMs,
      settledMs: lastAnswer - startedAt,
      purchasesPerSecond: purchases.length / (learnersMs / 1000),
      latencyMs: Object.fromEntries(callNames.map((name) => [name, summaryOf(purchases.flatMap((p) => p.calls.filter((c) => c.name === name).map((c) => c.latencyMs)))])),
      payNotifyMs: {
        all: summaryOf([...records.values()].map((r) => r.durationMs)),
        paying: summaryOf([...paying.values()].map((r) => r.durationMs)),
        replay: summaryOf(replays.map((x) => x.record.durationMs)),
      },
      dbRequests: {
        perPurchase: spreadOf(plainTaps.map((p) => createOrders(p)[0]! + paying.get(p.orderId)!.dbRequests)),
        createOrder: spreadOf(plainTaps.map((p) => createOrders(p)[0]!)),
        payNotifyPaying: spreadOf(plainTaps.map((p) => paying.get(p.orderId)!.dbRequests)),
        payNotifyReplay: spreadOf(replays.map((x) => x.record.dbRequests)),
        doubleTapCreateOrders: spreadOf(purchases.filter((p) => p.plan.doubleTap).map((p) => createOrders(p).reduce((a, b) => a + b, 0))),
        ...(growth ? growthDbRequests(growth.setup, singleTaps, createOrders, groupRun!, ledger.growth?.groups ?? []) : {}),
      },
      duplicatesAcknowledged: replays.length,
      retries: deliveries.reduce((sum, d) => sum + Math.max(0, d.attempts.length - 1), 0),
      providerCallsPerPurchase: purchases.length ? providerCalls / purchases.length : 0,
      dbPerSecond: { purchase: purchasePerSecond },
      ...(play ? { play } : {}),
      ...(faults ? { faults } : {}),
      ...(growth && growthOptions && growthPlan && groupRun && ledger.growth
        ? { growth: growthFigures(growthOptions, growthPlan, growth.setup, purchases, groupRun, ledger.growth, growthFailures, growth.groups) }
        : {}),
      pools: FUNCTIONS.map((name) => {
        const was = before.functions.find((f) => f.name === name);
        const now = after.functions.find((f) => f.name === name);
        return {
          name,
          coldStarts: (now?.coldStarts ?? 0) - (was?.coldStarts ?? 0),
          warmStarts: (now?.warmStarts ?? 0) - (was?.warmStarts ?? 0),
          peakInstances: now?.peakInstances ?? 0,
          maxInstances: now?.maxInstances ?? 0,
        };
      }),
      checks,
    };
  } finally {
    client.close();
  }
}

/**
 * The group traffic after the learners (growth.ts): groups opened and raced for, their payments' deliveries
 * settled, the refunds of payments that found no seat completed in the sandbox and settled by refundNotify.
 */
async function runGroupPhase(client: EmulatorClient, groups: ReturnType<typeof planGroups>, deadline: number) {
  const agent = new Agent({ keepAlive: true });
  try {
    const traffic = await runGroups(client, agent, groups);
    const orderIds = new Set(traffic.orders.map((o) => o.orderId));
    const deliveries = await settle(client, orderIds, deadline);
    const refunds = await completeAutomaticRefunds(client, orderIds, deadline);
    const records = new Map<string, { answer: string; record: InvocationRecord }>();
    for (const d of deliveries) {
      const applying = d.attempts.find((a) => a.outcome === 'acknowledged' && a.invocationId && errmsgOf(a.result) !== 'replay');
      if (applying) records.set(d.key, { answer: errmsgOf(applying.result), record: await client.invocation(applying.invocationId!) });
    }
    const refundDeliveries = (await client.payLedger()).deliveries.filter((d) => d.kind === 'refund' && refunds.some((r) => r.outRefundNo === d.key));
    return { traffic, refunds, records, refundsSettled: refundDeliveries.filter((d) => d.status === 'delivered').length };
  } finally {
    agent.destroy();
  }
}

/** The DB requests of the growth phase's calls, sampled as the per-purchase figures are. */
function growthDbRequests(
  setup: GrowthSetup,
  singleTaps: Purchase[],
  createOrders: (p: Purchase) => number[],
  groupRun: Awaited<ReturnType<typeof runGroupPhase>>,
  groups: Array<{ status: string; seats: Array<{ orderId: string }> }>,
): Partial<LoadResult['dbRequests']> {
  const completing = new Set(groups.filter((g) => g.status === 'complete').map((g) => g.seats[g.seats.length - 1]!.orderId));
  const records = [...groupRun.records];
  const paidSeat = records.filter(([id, r]) => r.answer === 'paid' && !completing.has(id)).map(([, r]) => r.record.dbRequests);
  return {
    claimCoupon: spreadOf(setup.claims.dbRequestsWon),
    createOrderWithCoupon: spreadOf(singleTaps.filter((p) => p.couponId && !p.plan.growth?.referred).map((p) => createOrders(p)[0]!)),
    createOrderReferred: spreadOf(singleTaps.filter((p) => !p.couponId && p.plan.growth?.referred).map((p) => createOrders(p)[0]!)),
    groupCreateOrder: spreadOf(groupRun.traffic.createOrderDbRequests),
    groupPaymentSeat: spreadOf(paidSeat),
    groupPaymentCompleting: spreadOf(records.filter(([id, r]) => r.answer === 'paid' && completing.has(id)).map(([, r]) => r.record.dbRequests)),
    groupPaymentNoSeat: spreadOf(records.filter(([, r]) => r.answer === 'refunding').map(([, r]) => r.record.dbRequests)),
  };
}

function growthFigures(
  options: GrowthOptions,
  plan: GrowthPlan,
  setup: GrowthSetup,
  purchases: Purchase[],
  groupRun: Awaited<ReturnType<typeof runGroupPhase>>,
  g: NonNullable<Awaited<ReturnType<typeof readLedger>>['growth']>,
  failures: GrowthFailure[],
  planned: ReturnType<typeof planGroups>,
): GrowthFigures {
  const { dbRequestsWon: _samples, ...claims } = setup.claims;
  const racers = groupRun.traffic.orders.filter((o) => !o.leader);
  const countOf = (status: string) => g.groups.filter((x) => x.status === status).length;
  return {
    options,
    plan,
    promoters: Object.keys(plan.promoters).length,
    bound: Object.keys(plan.referrerOf).length,
    claims,
    couponPurchases: purchases.filter((p) => p.couponId).length,
    groups: {
      opened: g.groups.length,
      complete: countOf('complete'),
      open: countOf('open'),
      failed: countOf('failed'),
      seats: g.groups.reduce((n, x) => n + x.seats.length, 0),
      racers: planned.reduce((n, x) => n + x.racers.length, 0),
      racersPaid: racers.length,
      refusedAtOrder: groupRun.traffic.refusedAtOrder,
      automaticRefunds: groupRun.refunds.length,
      refundsSettled: groupRun.refundsSettled,
    },
    commissions: {
      count: g.commissions.length,
      pending: g.commissions.filter((c) => c.status === 'pending').length,
      reversed: g.commissions.filter((c) => c.status === 'reversed').length,
      pendingFen: g.commissions.filter((c) => c.status === 'pending').reduce((n, c) => n + c.amount, 0),
    },
    failures,
  };
}
