/**
 * Load test (issue 5): simulated learners at once, each browsing, ordering a paid course and paying it in
 * the cloud pay sandbox, which delivers every payment callback twice; then the ledger checks. Against a
 * freshly launched emulator on a temporary data folder with the demo school:
 *   npm run load                       (builds first; 1,000 learners, all at once)
 *   npx tsx scripts/load.ts --learners 200 --concurrency 50 --double-taps 0.2 --instances 16
 *   npx tsx scripts/load.ts --json     (the figures as JSON on stdout; progress goes to stderr)
 *   npm run load -- --faults           (issue 9: 10% of invocations killed, 5% of provider calls failing;
 *                                       --kill <share>, --provider-failures <share>, --seed <n> to choose)
 *   --play-window <s>                  (issue 10: after buying, every learner opens a lesson and saves once,
 *                                       spread over this window, default the player's save interval; 0: no play)
 *   --no-growth                        (issue 12's growth traffic is on by default: distribution on, promoters, 30% of
 *                                       the learners bound to one, 20% racing for a coupon with half as much stock, then
 *                                       groups opened and raced for by twice as many learners as seats; --groups <n>,
 *                                       --referred <share>, --coupon-wanters <share> to choose; off under --faults)
 * Exits 1 when a ledger check fails.
 *
 * Instances per function default to one per core (at most the emulator's 16): every instance is a worker
 * thread of this machine, and more than the cores can run only slow each other down until invocations,
 * cold starts included, exceed their function's timeout (on 2 cores, 4 per function already did under
 * other load). In the cloud each instance has its own CPU.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { launchEmulator, type RunningEmulator } from '../emulator/src/launcher';
import { SAVE_INTERVAL_SEC } from '../domain/learning/progress';
import { defaultGrowth } from './load/growth';
import { failedChecks, formatReport, type Machine } from './load/report';
import { runLoad, type LoadOptions, type LoadResult } from './load/run';

const root = resolve(__dirname, '..');
const progress = (line: string) => process.stderr.write(`[load] ${line}\n`);

const EMULATOR_DEFAULT_INSTANCES = 16;
/** The issue's figures: 10% of invocations killed, 5% of provider calls failing. */
const DEFAULT_FAULTS = { killInvocations: 0.1, providerFailures: 0.05 };

function options(): { load: LoadOptions; instances: number; json: boolean } {
  const { values } = parseArgs({
    options: {
      learners: { type: 'string', default: '1000' },
      concurrency: { type: 'string' },
      'double-taps': { type: 'string', default: '0.1' },
      'settle-timeout': { type: 'string' },
      instances: { type: 'string', default: String(Math.min(EMULATOR_DEFAULT_INSTANCES, cpus().length)) },
      json: { type: 'boolean', default: false },
      faults: { type: 'boolean', default: false },
      kill: { type: 'string', default: String(DEFAULT_FAULTS.killInvocations) },
      'provider-failures': { type: 'string', default: String(DEFAULT_FAULTS.providerFailures) },
      seed: { type: 'string' },
      'play-window': { type: 'string', default: String(SAVE_INTERVAL_SEC) },
      'no-growth': { type: 'boolean', default: false },
      groups: { type: 'string' },
      referred: { type: 'string' },
      'coupon-wanters': { type: 'string' },
    },
  });
  const share = (name: string, text: string) => {
    const value = Number(text);
    if (!(value >= 0 && value <= 1)) throw new Error(`--${name} is a share, 0 to 1, not ${text}`);
    return value;
  };
  const count = (name: string, text: string) => {
    const value = Number(text);
    if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a positive whole number, not ${text}`);
    return value;
  };
  const learners = count('learners', values.learners);
  const growth = defaultGrowth(learners);
  if (values.groups !== undefined) growth.groups = values.groups === '0' ? 0 : count('groups', values.groups);
  if (values.referred !== undefined) growth.referredShare = share('referred', values.referred);
  if (values['coupon-wanters'] !== undefined) growth.couponShare = share('coupon-wanters', values['coupon-wanters']);
  const doubleTapShare = Number(values['double-taps']);
  if (!(doubleTapShare >= 0 && doubleTapShare <= 1)) throw new Error(`--double-taps is a share of learners, 0 to 1, not ${values['double-taps']}`);
  return {
    load: {
      learners,
      concurrency: values.concurrency === undefined ? learners : count('concurrency', values.concurrency),
      doubleTapShare,
      playWindowSec: values['play-window'] === '0' ? 0 : count('play-window', values['play-window']),
      ...(values['no-growth'] || values.faults ? {} : { growth }),
      // Under faults, retries run on WeChat's schedule (about 90 s compressed) and a killed transaction holds its locks for 30 s.
      settleTimeoutMs: count('settle-timeout', values['settle-timeout'] ?? (values.faults ? '240' : '60')) * 1000,
      ...(values.faults
        ? {
            faults: {
              killInvocations: share('kill', values.kill),
              providerFailures: share('provider-failures', values['provider-failures']),
              ...(values.seed === undefined ? {} : { seed: count('seed', values.seed) }),
            },
          }
        : {}),
    },
    instances: count('instances', values.instances),
    json: values.json,
  };
}

async function run(workDir: string, load: LoadOptions, instances: number): Promise<LoadResult> {
  progress(`launching the emulator, at most ${instances} instances per function`);
  let emulator: RunningEmulator | undefined;
  try {
    emulator = await launchEmulator({
      dataDir: join(workDir, 'data'),
      functionsDirs: [join(root, 'cloudfunctions')],
      // The settleOrders timer would complete a paid order whose callback was lost: off, so that the
      // callbacks alone must settle every order.
      env: { EMULATOR_TIMERS: 'off', EMULATOR_MAX_INSTANCES: String(instances) },
    });
    return await runLoad({ url: emulator.url, sdkEnv: emulator.sdkEnv }, load, progress);
  } finally {
    await emulator?.stop();
  }
}

async function main(): Promise<boolean> {
  const { load, instances, json } = options();
  const cores = cpus();
  const machine: Machine = { node: process.version, cpus: `${cores.length} × ${cores[0]?.model.trim() ?? 'unknown CPU'}`, loadAverage: loadavg()[0] };
  const workDir = mkdtempSync(join(tmpdir(), 'zhishi-load-'));
  try {
    const result = await run(workDir, load, instances);
    const { learners: _plans, growth, ...figures } = result;
    // Who did what in the growth phase is for re-checking the ledgers, not a figure.
    const growthFigures = growth && (({ plan: _plan, ...rest }) => rest)(growth);
    console.log(json ? JSON.stringify({ machine, ...figures, ...(growthFigures ? { growth: growthFigures } : {}) }, null, 2) : formatReport(result, machine));
    const failed = failedChecks(result);
    if (failed.length && json) progress(`FAILED: ${failed.map((c) => `${c.name} (${c.detail})`).join('; ')}`);
    return failed.length === 0;
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

// Exit explicitly: the SDK's kept-alive connections would otherwise hold the process open for a while.
main().then(
  (passed) => process.exit(passed ? 0 : 1),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
