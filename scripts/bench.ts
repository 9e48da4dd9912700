/**
 * Benchmarks the product on the local CloudBase emulator, all through the real wx-server-sdk and the
 * client gateway over HTTP, against a freshly launched emulator on a temporary data folder:
 *   npm run bench                      (builds first; prints a report)
 *   npx tsx scripts/bench.ts --json    (the figures as JSON on stdout; progress goes to stderr)
 *   npm run bench -- --readme          (prints the report and rewrites the tables of README's "Measured figures")
 * Sections: database reads at 100,000 documents, warm and cold invocations, a burst of concurrent
 * invocations, database requests per login, and bundle sizes with the wx-server-sdk bundling measurement
 * and the mini program's package sizes; the creator console's download sizes and dashboard render time.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { launchEmulator, type RunningEmulator } from '../emulator/src/launcher';
import { connectSdk } from '../emulator/src/sdk';
import { benchSdkPlacement, builtFunctionSizes, miniprogramSizes } from './bench/bundles';
import { EmulatorClient } from './bench/client';
import { benchDatabase } from './bench/database';
import { benchBurst, benchColdStarts, benchDbRequests, benchWarmInvocations, buildBenchFunctions } from './bench/functions';
import { benchConsole } from './bench/console';
import { benchDashboardDbRequests } from './bench/dashboard';
import { updateReadme } from './bench/readme';
import { checkTargets, formatReport, type BenchResults } from './bench/report';
import { msSince } from './bench/stats';

const root = resolve(__dirname, '..');
/** The emulator's default pool size, set explicitly so the report states what was measured. */
const MAX_INSTANCES_PER_FUNCTION = 16;

const progress = (line: string) => process.stderr.write(`[bench] ${line}\n`);

function environment(): BenchResults['environment'] {
  const cores = cpus();
  const sdk = JSON.parse(readFileSync(join(root, 'node_modules/wx-server-sdk/package.json'), 'utf8')) as { version: string };
  return {
    node: process.version,
    cores: cores.length,
    cpuModel: cores[0]?.model.trim() ?? 'unknown CPU',
    // Other work on the machine shows in the figures; the 1-minute load average puts them in context.
    loadAverage: loadavg()[0],
    sdk: sdk.version,
    maxInstancesPerFunction: MAX_INSTANCES_PER_FUNCTION,
  };
}

async function run(workDir: string, started: bigint): Promise<BenchResults> {
  const env = environment();
  progress('building the benchmark functions');
  const benchFunctions = join(workDir, 'functions');
  await buildBenchFunctions(join(root, 'test/fixtures/cloudfunctions'), benchFunctions);

  progress('launching the emulator');
  let emulator: RunningEmulator | undefined;
  let client: EmulatorClient | undefined;
  try {
    emulator = await launchEmulator({
      dataDir: join(workDir, 'data'),
      functionsDirs: [join(root, 'cloudfunctions'), benchFunctions],
      env: { EMULATOR_MAX_INSTANCES: String(MAX_INSTANCES_PER_FUNCTION) },
    });
    client = new EmulatorClient(emulator.url);
    const cloud = connectSdk(emulator.sdkEnv);

    const database = await benchDatabase(cloud, client, progress);
    progress('warm and cold invocations');
    const warmInvocation = await benchWarmInvocations(client);
    const coldStarts = await benchColdStarts(client);
    progress('concurrent bursts');
    const bursts = { growing: await benchBurst(client), warm: await benchBurst(client) };
    const dbRequests = [...(await benchDbRequests(client, cloud)), ...(await benchDashboardDbRequests(emulator.url))];
    progress('the creator console in Chromium');
    const consoleFigures = await benchConsole(root, emulator.url);
    progress('bundle sizes and wx-server-sdk bundled vs external');
    const sdkPlacement = await benchSdkPlacement(root, workDir);
    return {
      environment: env,
      database,
      warmInvocation,
      coldStarts,
      bursts,
      dbRequests,
      bundles: builtFunctionSizes(root),
      sdkPlacement,
      miniprogram: miniprogramSizes(root),
      console: consoleFigures,
      totalSeconds: msSince(started) / 1000,
    };
  } finally {
    client?.close();
    await emulator?.stop();
  }
}

async function main() {
  const { values } = parseArgs({ options: { json: { type: 'boolean', default: false }, readme: { type: 'boolean', default: false } } });
  const started = process.hrtime.bigint();
  const workDir = mkdtempSync(join(tmpdir(), 'zhishi-bench-'));
  try {
    const results = await run(workDir, started);
    console.log(values.json ? JSON.stringify({ ...results, targets: checkTargets(results) }, null, 2) : formatReport(results));
    if (values.readme) {
      updateReadme(join(root, 'README.md'), results);
      progress('README.md: "Measured figures" rewritten');
    }
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

// Exit explicitly: the SDK's kept-alive connections would otherwise hold the process open for a while.
main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
