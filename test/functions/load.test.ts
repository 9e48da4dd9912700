import { randomUUID } from 'node:crypto';
import { readSdkEnv } from '../../emulator/src/launcher';
import { EmulatorClient } from '../../scripts/bench/client';
import { checkLedger, readLedger } from '../../scripts/load/ledger';
import { runLoad, type LoadResult } from '../../scripts/load/run';
import { placeTrade } from '../support/commerce';
import { ownEmulator } from '../support/own-emulator';
import { connectSdk, emulatorUrl } from '../support/sdk';

/**
 * `npm run load` at a small scale, so the script cannot rot: the same module, in this process, against
 * the test emulator. Then the ledger is spoiled one way after another, and each check must notice. And
 * `npm run load -- --faults` at a small scale, on an emulator of its own (faults would break the other
 * tests' calls).
 */
const LEARNERS = 40;
/** the learners then play, each opening a lesson and saving once within these seconds */
const PLAY_WINDOW_SEC = 6;
const DOUBLE_TAPS = 4;
const db = connectSdk().database();

const HEADLINE = 'orders paid = sandbox trades paid = active entitlements from orders = learners';
const ONE_ORDER = 'one order per learner, for the course they chose';
const NONE_PENDING = 'no order left pending (every order paid)';
const TRADES = 'every sandbox trade paid, for its order and amount';
const ONE_ENTITLEMENT = 'no duplicate entitlements: one per learner and course';
const DELIVERED = 'every callback delivered 2 times and acknowledged';
const APPLIED_ONCE = 'each payment applied once: one transition to paid, every other delivery answered "replay"';
const NO_INCIDENTS = 'no incidents';
const GRANTED_ONCE = 'every paid trade granted exactly once';
const CONFIRMED = 'no grant without a payment the provider confirms';
const NOT_STUCK = 'no order stuck outside a final or reconcilable state';
const MONEY = 'money in = money kept + money refunded';
/** Every check read from the ledgers, in the order the load test lists them. */
const LEDGER_CHECKS = [HEADLINE, ONE_ORDER, NONE_PENDING, TRADES, ONE_ENTITLEMENT, DELIVERED, APPLIED_ONCE, NO_INCIDENTS, GRANTED_ONCE, CONFIRMED, NOT_STUCK, MONEY];

describe(`the load test with ${LEARNERS} learners`, () => {
  let result: LoadResult;
  beforeAll(async () => {
    result = await runLoad(
      { url: emulatorUrl(), sdkEnv: readSdkEnv(process.env.EMULATOR_DATA!) },
      // 4 at a time: the test emulator allows 16 instances per function, and as many cold starts at once
      // on a small machine can exceed a function's timeout (npm run load caps the instances instead).
      { learners: LEARNERS, concurrency: 4, doubleTapShare: DOUBLE_TAPS / LEARNERS, settleTimeoutMs: 10_000, playWindowSec: PLAY_WINDOW_SEC },
    );
  });

  it('buys a course for every learner, each payment applied once whatever the duplicates', () => {
    expect(result.checks.filter((c) => !c.ok)).toEqual([]);
    expect(result.checks.map((c) => c.name)).toEqual(['every learner browsed, ordered and paid', ...LEDGER_CHECKS, 'every player’s progress saved and credited']);
    expect(result).toMatchObject({ purchases: LEARNERS, doubleTaps: DOUBLE_TAPS, failures: [], duplicatesAcknowledged: LEARNERS });
  });

  it('reports latencies, and the DB requests of a purchase within the issue’s 8', () => {
    expect(result.latencyMs.createOrder?.n).toBe(LEARNERS + DOUBLE_TAPS);
    expect(result.payNotifyMs.paying?.n).toBe(LEARNERS);
    expect(result.payNotifyMs.replay?.n).toBe(LEARNERS);
    expect(result.dbRequests.perPurchase?.n).toBe(LEARNERS - DOUBLE_TAPS);
    expect(result.dbRequests.perPurchase!.max).toBeLessThanOrEqual(8);
    expect(result.pools.find((p) => p.name === 'payNotify')!.peakInstances).toBeGreaterThan(0);
  });

  it('lets every learner play and save, sampling the DB requests per second', () => {
    // The learners of the one course of articles only have nothing to play.
    const players = result.learners.filter((l) => l.course.id !== 'talk-meeting').length;
    expect(result.play).toMatchObject({ players, saved: players, failures: [], windowSec: PLAY_WINDOW_SEC });
    expect(result.play!.perSecond.length).toBeGreaterThanOrEqual(PLAY_WINDOW_SEC - 1);
    // Each player: getLesson (6 on the first open) and one save (1, or 6 when another write came first).
    const played = result.play!.perSecond.reduce((a, b) => a + b, 0);
    expect(played).toBeGreaterThanOrEqual(players * 7);
    expect(result.dbPerSecond.purchase.some((n) => n > 0)).toBe(true);
  });

  it('fails the checks a spoiled ledger breaks', async () => {
    const [first, second, third, fourth, fifth] = result.learners;
    const client = new EmulatorClient(emulatorUrl());
    const failing = async () =>
      checkLedger(await readLedger(db, client, result.learners), result.learners)
        .filter((c) => !c.ok)
        .map((c) => c.name);
    const orderOf = async (openid: string) => (await db.collection('orders').where({ openid }).get()).data[0]!;
    try {
      const paid = await orderOf(first!.openid);
      await db.collection('entitlements').add({
        data: { openid: first!.openid, kind: 'course', courseId: first!.course.id, status: 'active', grantedAt: new Date(), source: { kind: 'order', orderId: paid._id } },
      });
      expect(await failing()).toEqual([HEADLINE, ONE_ENTITLEMENT, GRANTED_ONCE]);

      const { _id: unpaid } = await db.collection('orders').add({
        data: { openid: second!.openid, status: 'pending', item: { kind: 'course', courseId: second!.course.id, title: '重复的订单' }, amount: 100, createdAt: new Date() },
      });
      expect(await failing()).toEqual([HEADLINE, ONE_ORDER, NONE_PENDING, ONE_ENTITLEMENT, GRANTED_ONCE]);

      const noticed = await orderOf(third!.openid);
      await db.collection('incidents').add({ data: { kind: 'secondPayment', outTradeNo: noticed._id, openid: third!.openid, status: 'open', createdAt: new Date() } });
      expect(await failing()).toEqual([HEADLINE, ONE_ORDER, NONE_PENDING, ONE_ENTITLEMENT, NO_INCIDENTS, GRANTED_ONCE]);

      // A grant from the order nobody paid.
      await db.collection('entitlements').add({
        data: { openid: second!.openid, kind: 'course', courseId: 'unpaid-course', status: 'active', grantedAt: new Date(), source: { kind: 'order', orderId: unpaid } },
      });
      expect(await failing()).toEqual([HEADLINE, ONE_ORDER, NONE_PENDING, ONE_ENTITLEMENT, NO_INCIDENTS, GRANTED_ONCE, CONFIRMED]);

      // An order left waiting for staff: neither final nor something reconciliation settles.
      await db.collection('orders').doc((await orderOf(fifth!.openid))._id).update({ data: { status: 'needsRefund' } });
      expect(await failing()).toEqual([HEADLINE, ONE_ORDER, NONE_PENDING, TRADES, ONE_ENTITLEMENT, NO_INCIDENTS, GRANTED_ONCE, CONFIRMED, NOT_STUCK]);

      // A payment at the sandbox whose notification is lost: never applied to any order.
      const outTradeNo = `L${randomUUID().replace(/-/g, '').slice(0, 31)}`;
      await placeTrade(fourth!.openid, outTradeNo, 100);
      await client.payTrade(outTradeNo, { deliver: false });
      expect(await failing()).toEqual(LEDGER_CHECKS);
    } finally {
      client.close();
    }
  });
});

describe('the load test under injected faults', () => {
  const LEARNERS_UNDER_FAULTS = 24;
  const { emulator } = ownEmulator('load-faults', { EMULATOR_MAX_INSTANCES: '4' });
  let faulted: LoadResult;

  beforeAll(async () => {
    faulted = await runLoad(
      { url: emulator().url, sdkEnv: emulator().sdkEnv },
      {
        learners: LEARNERS_UNDER_FAULTS,
        concurrency: 4,
        doubleTapShare: 0.25,
        // Retries follow WeChat's compressed schedule, and a transaction left open by a killed instance holds its order for 30 s.
        settleTimeoutMs: 150_000,
        faults: { killInvocations: 0.1, providerFailures: 0.05, providerTimeoutMs: 200, seed: 9 },
      },
    );
  }, 200_000);

  it('balances the ledger once retries and settleOrders are done: every paid trade granted once, nothing else', () => {
    expect(faulted.checks.filter((c) => !c.ok)).toEqual([]);
    expect(faulted.purchases).toBe(LEARNERS_UNDER_FAULTS);
  });

  it('reports what the faults did and what settling took', async () => {
    const f = faulted.faults!;
    expect(f.injected).toMatchObject({ killInvocations: 0.1, providerFailures: 0.05 });
    // Six calls a learner at least, two deliveries each: some of the ~150 invocations die at 10%.
    expect(f.invocationsKilled.total).toBeGreaterThan(0);
    expect(f.invocationsKilled.total).toBe(f.invocationsKilled.byPoint.before + f.invocationsKilled.byPoint.between + f.invocationsKilled.byPoint.after);
    expect(f.learnerRetries + faulted.retries).toBeGreaterThan(0);
    expect(f.reconcileRuns).toBeGreaterThanOrEqual(1);
    expect(f.timeToSettleMs).toBeGreaterThan(0);
    // Faults are off again once the run is over.
    expect((await new EmulatorClient(emulator().url).faults()).settings).toMatchObject({ killInvocations: 0, providerFailures: 0 });
  });
});
