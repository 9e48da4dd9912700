/** Sections 2-4: cloud function invocations through the client gateway, as the mini program makes them. */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { Agent } from 'node:http';
import { join } from 'node:path';
import { buildFunction } from '../build';
import type { LessonView } from '../../domain/contracts/catalog';
import type { SaveProgressResponse } from '../../domain/contracts/learning';
import type { CreateOrderResponse } from '../../domain/contracts/orders';
import type { ProgressState } from '../../domain/learning/model';
import { hashOf, progressId, SAVE_INTERVAL_SEC } from '../../domain/learning/progress';
import { ACCESS_TRUSTED_MS } from '../../domain/learning/record';
import { database } from '../../server/database';
import type { Cloud, EmulatorClient, GatewayCall } from './client';
import { median, msSince, summarize, timeSequentially, type Summary } from './stats';

const NOOP = 'noop';
const LOGIN = 'login';
/** Copies of `noop` under other names, each called once: every one is a function with no instance yet. */
const COLD_COPIES = 10;
const WARM_SAMPLES = 1_000;
const WARM_UP = 100;
/** Warm calls of `login` after its cold start, as a returning learner. */
const LOGIN_WARM_SAMPLES = 20;
const BURST = 1_000;

export interface ColdStartResult {
  /** cold starts of `noop`, one per copy, run one after the other */
  noop: { starts: number; durationMs: Summary; latencyMs: Summary };
  /** the first call of the product's `login`, against the median of its next (warm) calls */
  login: { coldDurationMs: number; coldDbRequests: number; warmDurationMs: number; warmSamples: number };
}

export interface BurstResult {
  fired: number;
  completed: number;
  failed: number;
  firstFailure?: string;
  wallMs: number;
  perSecond: number;
  /** absent when no call completed */
  latencyMs?: Summary;
  /** instances the pool started during the burst */
  coldStarts: number;
  /** connection attempts the kernel dropped from full listen queues meanwhile (Linux only, system-wide) */
  listenDrops?: number;
}

/** `providerCalls`: the payment providers' server API calls of the operation, by API (a purchase's only). */
export type DbRequestsResult = Array<{ operation: string; dbRequests: number; bound?: number; providerCalls?: Record<string, number> }>;

const coldCopyName = (i: number) => `${NOOP}_cold_${String(i + 1).padStart(2, '0')}`;

/** Builds `noop` and its cold-start copies from the test fixtures into `outParent/<name>/index.js`. */
export async function buildBenchFunctions(fixturesDir: string, outParent: string) {
  const names = [NOOP, ...Array.from({ length: COLD_COPIES }, (_, i) => coldCopyName(i))];
  for (const name of names) {
    const outDir = join(outParent, name);
    mkdirSync(outDir, { recursive: true });
    await buildFunction(join(fixturesDir, NOOP), { outDir });
  }
}

/** Warm invocation overhead: `noop` called one call after another over one kept-alive connection. */
export async function benchWarmInvocations(client: EmulatorClient): Promise<Summary & { warmUp: number }> {
  const samples = await timeSequentially(WARM_SAMPLES, WARM_UP, () => client.callFunction(NOOP, 'o-bench-warm'));
  return { ...summarize(samples), warmUp: WARM_UP };
}

/**
 * Cold starts: a call to a function with no instance spawns a worker thread, loads the bundle and runs
 * it. `durationMs` is the emulator's own record of that call (whole milliseconds, gateway to answer);
 * the latency adds the HTTP round trip.
 */
export async function benchColdStarts(client: EmulatorClient): Promise<ColdStartResult> {
  const durations: number[] = [];
  const latencies: number[] = [];
  for (let i = 0; i < COLD_COPIES; i++) {
    const call = await client.callFunction(coldCopyName(i), 'o-bench-cold');
    durations.push((await coldRecord(client, call)).durationMs);
    latencies.push(call.latencyMs);
  }
  const openid = 'o-bench-cold-login';
  const loginCold = await coldRecord(client, await client.callFunction(LOGIN, openid));
  const loginWarm: number[] = [];
  for (let i = 0; i < LOGIN_WARM_SAMPLES; i++) {
    loginWarm.push((await client.invocation((await client.callFunction(LOGIN, openid)).invocationId)).durationMs);
  }
  return {
    noop: { starts: COLD_COPIES, durationMs: summarize(durations), latencyMs: summarize(latencies) },
    login: { coldDurationMs: loginCold.durationMs, coldDbRequests: loginCold.dbRequests, warmDurationMs: median(loginWarm), warmSamples: LOGIN_WARM_SAMPLES },
  };
}

async function coldRecord(client: EmulatorClient, call: GatewayCall) {
  const record = await client.invocation(call.invocationId);
  if (!record.coldStart) throw new Error(`${record.functionName} was expected to cold-start but ran on a warm instance`);
  return record;
}

/**
 * `BURST` calls of `noop` fired at once, each on its own connection as that many learners would be:
 * the emulator queues what its instance pool cannot run yet.
 */
export async function benchBurst(client: EmulatorClient): Promise<BurstResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: Infinity });
  const coldBefore = await noopColdStarts(client);
  const dropsBefore = listenDrops();
  const start = process.hrtime.bigint();
  const outcomes = await Promise.allSettled(
    Array.from({ length: BURST }, (_, i) => client.callFunction(NOOP, `o-bench-burst-${i}`, {}, agent)),
  );
  const wallMs = msSince(start);
  const dropsAfter = listenDrops();
  agent.destroy();
  const completed = outcomes.filter((o): o is PromiseFulfilledResult<GatewayCall> => o.status === 'fulfilled').map((o) => o.value);
  const failures = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
  return {
    fired: BURST,
    completed: completed.length,
    failed: failures.length,
    firstFailure: failures[0] && String((failures[0].reason as Error).message ?? failures[0].reason),
    wallMs,
    perSecond: completed.length / (wallMs / 1000),
    latencyMs: completed.length ? summarize(completed.map((c) => c.latencyMs)) : undefined,
    coldStarts: (await noopColdStarts(client)) - coldBefore,
    listenDrops: dropsBefore === undefined || dropsAfter === undefined ? undefined : dropsAfter - dropsBefore,
  };
}

async function noopColdStarts(client: EmulatorClient): Promise<number> {
  return (await client.stats()).functions.find((f) => f.name === NOOP)?.coldStarts ?? 0;
}

/**
 * The kernel's count of connection attempts dropped because a listen queue was full (`TcpExt:
 * ListenDrops`). A dropped SYN costs its client a 1-second retransmit, which shows in burst latencies.
 */
function listenDrops(): number | undefined {
  const file = '/proc/net/netstat';
  if (!existsSync(file)) return undefined;
  const [names, values] = readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.startsWith('TcpExt:'))
    .map((line) => line.split(/\s+/));
  const i = names?.indexOf('ListenDrops') ?? -1;
  return i > 0 ? Number(values[i]) : undefined;
}

/**
 * Database requests of the product's operations, from the emulator's per-invocation count, over the
 * demo school; `bound` is the ceiling where there is one.
 */
export async function benchDbRequests(client: EmulatorClient, cloud: Cloud): Promise<DbRequestsResult> {
  const learner = `o-bench-${Date.now().toString(36)}`;
  const rows: DbRequestsResult = [];
  const measure = async (operation: string, name: string, data: Record<string, unknown> = {}, bound?: number) => {
    const { dbRequests } = await client.callOk(name, learner, data);
    rows.push({ operation, dbRequests, ...(bound === undefined ? {} : { bound }) });
  };
  await measure('login, new learner', LOGIN);
  await measure('login, returning learner', LOGIN);
  await measure('getHome, first view (builds the snapshot)', 'getHome');
  await measure('getHome, steady state', 'getHome', {}, 1);
  await measure('listCourses, a category page', 'listCourses', { categoryId: 'cat-excel' });
  await measure("getCourse (course, latest reviews, the caller's entitlements)", 'getCourse', { courseId: 'excel-basics' }, 3);
  await measure('getLesson, trial', 'getLesson', { lessonId: 'excel-basics-01' });
  await measure('getLesson, locked', 'getLesson', { lessonId: 'excel-basics-05' });
  const purchase = await purchaseDbRequests(client, learner);
  rows.push(...purchase.rows);
  rows.push(await virtualPurchaseDbRequests(client, `${learner}-ios`));
  rows.push(...(await growthDbRequests(client, cloud, learner)));
  rows.push(...(await progressDbRequests(client, cloud, learner)));
  await measure('listMyOrders, a page', 'listMyOrders');
  await measure('getMyOrder, a paid order (with its refund rule and progress)', 'getMyOrder', { orderId: purchase.orderId });
  await measure('listMyCourses, first page (entitlements and membership, then the courses and their progress)', 'listMyCourses');
  return rows;
}

/** A paid demo course whose second lesson is not a trial. */
const PURCHASED_COURSE = 'talk-persuade';

/**
 * One purchase of a course: `createOrder`, the learner paying in the cloud pay sandbox, and `payNotify`
 * (the order's transition and the grant, in one transaction), read from the callback's invocation record.
 */
async function purchaseDbRequests(client: EmulatorClient, learner: string): Promise<{ rows: DbRequestsResult; orderId: string }> {
  const before = await client.stats();
  const created = await client.callFunction('createOrder', learner, { courseId: PURCHASED_COURSE, clientRequestKey: `bench-${Date.now().toString(36)}` });
  const result = created.body.result as { ok?: boolean; data?: { order: { id: string } } } | undefined;
  if (!result?.ok || !result.data) throw new Error(`createOrder failed: ${JSON.stringify(created.body)}`);
  const orderId = result.data.order.id;
  const { deliveries } = await client.payTrade(orderId);
  const delivery = (await client.payDeliveries()).find((d) => d.id === deliveries[0]);
  const attempt = delivery?.attempts[0];
  if (attempt?.outcome !== 'acknowledged' || !attempt.invocationId) throw new Error(`payNotify did not acknowledge: ${JSON.stringify(delivery)}`);
  const notify = await client.invocation(attempt.invocationId);
  const providerCalls = callsBetween(before, await client.stats());
  return {
    orderId,
    rows: [
      { operation: 'createOrder', dbRequests: created.dbRequests },
      { operation: 'payNotify (provider confirms, then transition + grant in one transaction)', dbRequests: notify.dbRequests },
      // 8 before distribution; the buyer's referral binding is read with the entitlements (docs/decisions.md).
      { operation: 'purchase: createOrder + payNotify', dbRequests: created.dbRequests + notify.dbRequests, bound: 9, providerCalls },
    ],
  };
}

/** The DB requests of the payment callback that applied the payment of `orderId`, once the learner paid it in the sandbox. */
async function payNotifyRequests(client: EmulatorClient, orderId: string): Promise<number> {
  const { deliveries } = await client.payTrade(orderId);
  const attempt = (await client.payDeliveries()).find((d) => d.id === deliveries[0])?.attempts[0];
  if (attempt?.outcome !== 'acknowledged' || !attempt.invocationId) throw new Error(`payNotify did not acknowledge ${orderId}`);
  return (await client.invocation(attempt.invocationId)).dbRequests;
}

/**
 * Growth (issue 12): claiming a coupon, ordering with it and paying; a group-buy opened by its leader's
 * payment and completed by the last seat's (excel-advanced: groups of 2). The campaign is data setup,
 * written with the admin SDK as the console's saveCouponCampaign would.
 */
async function growthDbRequests(client: EmulatorClient, cloud: Cloud, learner: string): Promise<DbRequestsResult> {
  const now = new Date();
  const campaignId = `bench-coupon-${Date.now().toString(36)}`;
  await database(cloud)
    .collection('couponCampaigns')
    .doc(campaignId)
    .set({
      data: {
        title: '基准测试券',
        rule: { kind: 'amount', amountOff: 500 },
        scope: 'school',
        newLearnersOnly: false,
        validFrom: new Date(now.getTime() - 3_600_000),
        validUntil: new Date(now.getTime() + 86_400_000),
        totalStock: 10,
        perLearnerLimit: 1,
        status: 'active',
        claimed: 0,
        createdAt: now,
        updatedAt: now,
      },
    });
  const buyer = `${learner}-coupon`;
  const claimed = await client.callOk<{ coupon: { id: string } }>('claimCoupon', buyer, { campaignId });
  const withCoupon = await client.callOk<CreateOrderResponse>('createOrder', buyer, { courseId: PURCHASED_COURSE, clientRequestKey: `bench-coupon-${Date.now().toString(36)}`, couponId: claimed.data.coupon.id });
  const couponPaid = await payNotifyRequests(client, withCoupon.data.order.id);

  const [leader, member] = [`${learner}-leader`, `${learner}-member`];
  const opened = await client.callOk<CreateOrderResponse>('createOrder', leader, { courseId: 'excel-advanced', clientRequestKey: `bench-group-${Date.now().toString(36)}`, startGroup: true });
  const opening = await payNotifyRequests(client, opened.data.order.id);
  const joined = await client.callOk<CreateOrderResponse>('createOrder', member, { courseId: 'excel-advanced', clientRequestKey: `bench-join-${Date.now().toString(36)}`, groupId: opened.data.order.group!.id });
  const completing = await payNotifyRequests(client, joined.data.order.id);
  return [
    { operation: 'claimCoupon', dbRequests: claimed.dbRequests },
    { operation: 'createOrder with a coupon (priced, then the coupon locked with the insert in a transaction)', dbRequests: withCoupon.dbRequests },
    { operation: 'payNotify of an order with a coupon (the coupon used in the transaction)', dbRequests: couponPaid },
    { operation: 'createOrder opening a group', dbRequests: opened.dbRequests },
    { operation: "payNotify of a group leader's payment (the group opened)", dbRequests: opening },
    { operation: 'createOrder joining a group', dbRequests: joined.dbRequests },
    { operation: 'payNotify taking the last seat of a group of 2 (both members granted)', dbRequests: completing },
  ];
}

/**
 * Studying a bought lesson: getLesson opening it (the first time, and again), a save of the player's
 * ranges, the save that checks access again, and from them the DB requests per learner-minute of playback
 * in steady state: the player saves every `SAVE_INTERVAL_SEC`, and one save in every `ACCESS_TRUSTED_MS`
 * checks access (data setup: the check on record is made due with the admin SDK, as if that time had passed).
 */
async function progressDbRequests(client: EmulatorClient, cloud: Cloud, learner: string): Promise<DbRequestsResult> {
  const lessonId = `${PURCHASED_COURSE}-02`;
  const call = <T>(name: string, data: Record<string, unknown>) => client.callOk<T>(name, learner, data);
  const opened = await call<LessonView>('getLesson', { lessonId });
  const reopened = await call<LessonView>('getLesson', { lessonId });
  const saved = await call<SaveProgressResponse>('saveProgress', { lessonId, ranges: [[0, 2]], positionSec: 2, state: reopened.data.progress!.state });
  const due: ProgressState = { ...saved.data.state, accessUntil: Date.now() - 1000 };
  await database(cloud).collection('progress').doc(progressId(learner, lessonId)).update({ data: { accessUntil: due.accessUntil, stateHash: hashOf(learner, lessonId, due) } });
  const checked = await call<SaveProgressResponse>('saveProgress', { lessonId, ranges: [[2, 4]], positionSec: 4, state: due });
  const savesPerCheck = Math.floor(ACCESS_TRUSTED_MS / (SAVE_INTERVAL_SEC * 1000)) + 1;
  const perMinute = ((savesPerCheck - 1) * saved.dbRequests + checked.dbRequests) / ((savesPerCheck * SAVE_INTERVAL_SEC) / 60);
  return [
    { operation: 'getLesson, bought, first open (creates the progress record)', dbRequests: opened.dbRequests },
    { operation: 'getLesson, bought, opened again', dbRequests: reopened.dbRequests },
    { operation: 'saveProgress, a save', dbRequests: saved.dbRequests },
    { operation: `saveProgress, the save that checks access again (every ${ACCESS_TRUSTED_MS / 60_000} min)`, dbRequests: checked.dbRequests },
    { operation: `per learner-minute of playback (a save every ${SAVE_INTERVAL_SEC / 60} min)`, dbRequests: Math.round(perMinute * 1000) / 1000, bound: 1 },
  ];
}

/** The provider calls made between two readings of the emulator's stats, by API. */
function callsBetween(before: EmulatorStatsLike, after: EmulatorStatsLike): Record<string, number> {
  return Object.fromEntries(
    Object.entries(after.providerCalls.byApi)
      .map(([api, n]) => [api, n - (before.providerCalls.byApi[api] ?? 0)] as const)
      .filter(([, n]) => n > 0),
  );
}
type EmulatorStatsLike = Awaited<ReturnType<EmulatorClient['stats']>>;

/**
 * One purchase with virtual payment, from an iPhone: `wx.login`, `createOrder` (which exchanges the code
 * for the session_key and signs), the learner paying in the sandbox, and the `xpay_goods_deliver_notify`
 * push applied by `xpayNotify` after `xpay/query_order` confirms it.
 */
async function virtualPurchaseDbRequests(client: EmulatorClient, learner: string): Promise<DbRequestsResult[number]> {
  const before = await client.stats();
  const loginCode = await client.login(learner);
  const created = await client.callOk<CreateOrderResponse>('createOrder', learner, { courseId: PURCHASED_COURSE, clientRequestKey: `bench-ios-${Date.now().toString(36)}`, platform: 'ios', loginCode });
  const { order, payment } = created.data;
  if (payment?.provider !== 'virtualPayment') throw new Error(`createOrder (iOS) answered no virtual payment: ${JSON.stringify(payment)}`);
  const paid = await client.requestVirtualPayment(learner, { ...payment.params });
  if (paid.errMsg !== 'requestVirtualPayment:ok') throw new Error(`wx.requestVirtualPayment: ${paid.errMsg}`);
  const delivery = (await client.payDeliveries()).find((d) => d.kind === 'virtualPayment' && d.key === order.id);
  const attempt = delivery?.attempts[0];
  if (attempt?.outcome !== 'acknowledged' || !attempt.invocationId) throw new Error(`xpayNotify did not acknowledge: ${JSON.stringify(delivery)}`);
  const notify = await client.invocation(attempt.invocationId);
  return {
    operation: 'purchase with virtual payment: createOrder + xpayNotify',
    dbRequests: created.dbRequests + notify.dbRequests,
    bound: 9,
    providerCalls: callsBetween(before, await client.stats()),
  };
}
