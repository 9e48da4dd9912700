/** The benchmark's figures as readable text, with the targets they are held to. */
import type { BundleSize, MiniprogramSizes, SdkPlacementResult } from './bundles';
import type { ConsoleResult } from './console';
import type { DatabaseResult } from './database';
import { int, ms, table } from './format';
import type { BurstResult, ColdStartResult, DbRequestsResult } from './functions';
import type { Summary } from './stats';

export interface BenchResults {
  environment: { node: string; cores: number; cpuModel: string; loadAverage: number; sdk: string; maxInstancesPerFunction: number };
  database: DatabaseResult;
  warmInvocation: Summary & { warmUp: number };
  coldStarts: ColdStartResult;
  /** the same burst twice: while the instance pool grows, then on the grown (warm) pool */
  bursts: { growing: BurstResult; warm: BurstResult };
  dbRequests: DbRequestsResult;
  bundles: BundleSize[];
  sdkPlacement: SdkPlacementResult;
  miniprogram: MiniprogramSizes;
  console: ConsoleResult;
  totalSeconds: number;
}

export interface TargetCheck {
  /** what is held to the limit, e.g. "indexed query p50 ms" */
  name: string;
  value: number;
  limit: number;
  met: boolean;
  /** the target as the report prints it, e.g. "p50 ≤ 2 ms" */
  rule: string;
}

export interface Targets {
  indexedQuery: TargetCheck;
  warmInvocation: TargetCheck;
  burstFailures: TargetCheck;
  mainPackage: TargetCheck;
  /** one per operation with a bound, keyed `dbRequests: <operation>` */
  [dbRequests: `dbRequests: ${string}`]: TargetCheck;
}

export function checkTargets(r: BenchResults): Targets {
  const atMost = (name: string, value: number, limit: number, rule: string) => ({ name, value, limit, met: value <= limit, rule });
  return {
    indexedQuery: atMost('indexed query p50 ms', r.database.indexedQuery.p50, 2, 'p50 ≤ 2 ms'),
    warmInvocation: atMost('warm invocation p50 ms', r.warmInvocation.p50, 5, 'p50 ≤ 5 ms'),
    burstFailures: atMost('failed calls in the bursts', r.bursts.growing.failed + r.bursts.warm.failed, 0, 'none failed'),
    mainPackage: atMost('mini program main package KB', r.miniprogram.mainPackageBytes / 1024, 400, '≤ 400 KB'),
    ...Object.fromEntries(
      r.dbRequests
        .filter((row) => row.bound !== undefined)
        .map((row) => [`dbRequests: ${row.operation}`, atMost(`${row.operation} DB requests`, row.dbRequests, row.bound!, `≤ ${row.bound}`)]),
    ),
  };
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const verdict = (t: TargetCheck | undefined) => (t ? `${t.rule}: ${t.met ? 'met' : 'MISSED'}` : '');

const latencyRow = (label: string, s: Summary, target?: TargetCheck) => [label, int(s.n), ms(s.p50), ms(s.p99), ms(s.max), verdict(target)];
const LATENCY_HEADER = ['', 'n', 'p50 ms', 'p99 ms', 'max ms', 'target'];

function databaseSection(r: BenchResults, targets: Targets): string[] {
  const { database: d } = r;
  return [
    `1. Database: ${int(d.documents)} documents in ${d.collection} (indexes {course: 1} and unique {seq: 1}), real SDK over HTTP`,
    `   insert: ${int(d.documents)} documents in ${d.insert.seconds.toFixed(1)} s (${int(d.insert.docsPerSecond)} docs/s),` +
      ` add({data: [...]}) of ${int(d.insert.batch)} documents, ${d.insert.inFlight} in flight`,
    `   reads one after another, after ${d.warmUp} warm-up each:`,
    ...table(LATENCY_HEADER, [
      latencyRow('doc(id).get()', d.pointRead),
      latencyRow(`where({course}).limit(${d.indexedQuery.returnedPerQuery}).get()`, d.indexedQuery, targets.indexedQuery),
    ]),
    `   documents examined per indexed query (emulator stats): ${int(d.indexedQuery.docsExaminedPerQuery)},` +
      ` for ${int(d.indexedQuery.matchingPerQuery)} matching and ${d.indexedQuery.returnedPerQuery} returned, of ${int(d.documents)} in the collection`,
  ];
}

function invocationSection(r: BenchResults, targets: Targets): string[] {
  const { warmInvocation: warm, coldStarts: cold } = r;
  return [
    '2. Function invocation through the client gateway (POST /gateway/callFunction, one kept-alive connection)',
    ...table(LATENCY_HEADER, [
      latencyRow(`warm noop, round trip (after ${warm.warmUp} warm-up)`, warm, targets.warmInvocation),
      latencyRow('cold noop, emulator record durationMs', cold.noop.durationMs),
      latencyRow('cold noop, round trip', cold.noop.latencyMs),
    ]),
    `   cold = first call of each of ${cold.noop.starts} copies of noop, one after another: a new worker-thread instance`,
    '          (thread start + require of the bundle + the call); durationMs is whole ms, from the gateway to the answer',
    `   login (emulator durationMs): first call ${cold.login.coldDurationMs} ms (new instance + require of the bundle and wx-server-sdk` +
      ` + ${cold.login.coldDbRequests} DB requests); warm ${cold.login.warmDurationMs} ms (median of the next ${cold.login.warmSamples}, a returning learner)`,
  ];
}

function burstRow(label: string, b: BurstResult): string[] {
  const latency = b.latencyMs ? [ms(b.latencyMs.p50), ms(b.latencyMs.p99)] : ['-', '-'];
  return [label, int(b.completed), int(b.failed), ms(b.wallMs), int(b.perSecond), ...latency, int(b.coldStarts), b.listenDrops === undefined ? '-' : int(b.listenDrops)];
}

function burstSection(r: BenchResults, targets: Targets): string[] {
  const { growing, warm } = r.bursts;
  const failures = [growing.firstFailure, warm.firstFailure].filter((f): f is string => f !== undefined);
  const dropped = (growing.listenDrops ?? 0) + (warm.listenDrops ?? 0) > 0;
  return [
    `3. ${int(growing.fired)} concurrent noop calls fired at once, one connection each (at most ${r.environment.maxInstancesPerFunction} instances per function)`,
    ...table(
      ['burst', 'completed', 'failed', 'wall ms', 'calls/s', 'p50 ms', 'p99 ms', 'new instances', 'SYNs dropped'],
      [burstRow('1st: the pool grows', growing), burstRow('2nd: the pool is warm', warm)],
    ),
    `   target ${verdict(targets.burstFailures)}`,
    ...failures.map((f) => `   failure: ${f}`),
    ...(dropped
      ? ['   SYNs dropped: connections the kernel refused from a full listen queue (system-wide); each such client retries after 1 s']
      : []),
  ];
}

/** `2 (cloudPay.unifiedOrder 1, cloudPay.queryOrder 1)`: a purchase's calls to the payment provider. */
export function describeProviderCalls(calls: Record<string, number>): string {
  const total = Object.values(calls).reduce((a, b) => a + b, 0);
  return `${total} (${Object.entries(calls).map(([api, n]) => `${api} ${n}`).join(', ')})`;
}

function dbRequestsSection(r: BenchResults, targets: Targets): string[] {
  const rows = r.dbRequests.map(({ operation, dbRequests, providerCalls }) => [
    operation,
    String(dbRequests),
    verdict(targets[`dbRequests: ${operation}`]),
    providerCalls ? describeProviderCalls(providerCalls) : '',
  ]);
  return ['4. Database requests per operation (x-db-requests), over the demo school', ...table(['', 'requests', 'target', 'provider calls'], rows)];
}

/** Below this share of the external require time, a saving is within run-to-run noise. */
const MEANINGFUL_SAVING = 0.1;

export function sdkConclusion({ bundled, external }: SdkPlacementResult): string {
  const saved = external.requireMs - bundled.requireMs;
  const extraKb = kb(bundled.bytes - external.bytes);
  if (saved > external.requireMs * MEANINGFUL_SAVING) {
    return `bundling wx-server-sdk makes the cold require ${ms(saved)} ms faster (${ms(bundled.requireMs)} vs ${ms(external.requireMs)} ms) for ${extraKb} more per function: bundling wins on cold start`;
  }
  return `bundling wx-server-sdk saves no meaningful cold-start time (${ms(bundled.requireMs)} vs ${ms(external.requireMs)} ms) and adds ${extraKb} per function: leave it to the cloud's npm install`;
}

function sizesSection(r: BenchResults, targets: Targets): string[] {
  const p = r.sdkPlacement;
  const { mainPackageBytes, subpackages, tdesign } = r.miniprogram;
  return [
    '5. Sizes',
    ...table(
      ['built bundle', 'bytes', 'size'],
      r.bundles.map((b) => [`cloudfunctions/${b.name}/index.js`, int(b.bytes), kb(b.bytes)]),
    ),
    `   ${p.function} built both ways, cold require() = median of fresh node processes:`,
    ...table(
      ['wx-server-sdk', 'bytes', 'size', 'require ms'],
      [
        ['bundled into index.js', int(p.bundled.bytes), kb(p.bundled.bytes), ms(p.bundled.requireMs)],
        ['external (node_modules)', int(p.external.bytes), kb(p.external.bytes), ms(p.external.requireMs)],
      ],
    ),
    `   conclusion: ${sdkConclusion(p)}`,
    `   mini program main package: ${kb(mainPackageBytes)} (excluding TDesign's shared components; target ${verdict(targets.mainPackage)})`,
    ...subpackages.map((s) => `   subpackage ${s.root}: ${kb(s.bytes)}`),
    `   TDesign components referenced (${tdesign.referenced.length}): ${tdesign.referenced.join(', ')}`,
    `   with the components they use (${tdesign.withDependencies}) and common/: ${kb(tdesign.bytes)}, in miniprogram_npm/ of the main package`,
  ];
}

function consoleSection(r: BenchResults): string[] {
  const c = r.console;
  return [
    '6. Creator console (cms/dist, gzip as served; Chromium, signed in as the owner)',
    `   first load (index.html, entry script and styles): ${kb(c.firstLoadGzipBytes)}; the dashboard's chunks: ${kb(c.dashboardGzipBytes)}; whole build: ${kb(c.totalGzipBytes)}`,
    ...table(['', 'n', 'p50 ms', 'p99 ms', 'max ms'], [['dashboard, navigation to figures and charts drawn', int(c.dashboardFirstRender.n), ms(c.dashboardFirstRender.p50), ms(c.dashboardFirstRender.p99), ms(c.dashboardFirstRender.max)]]),
  ];
}

export function formatReport(r: BenchResults): string {
  const targets = checkTargets(r);
  const all = Object.values(targets);
  const missed = all.filter((t) => !t.met);
  const e = r.environment;
  return [
    `zhishi-cloud benchmark — node ${e.node}, ${e.cores} × ${e.cpuModel} (load ${e.loadAverage.toFixed(1)} at start), wx-server-sdk ${e.sdk},` +
      ' fresh emulator on a temporary data folder',
    '',
    ...databaseSection(r, targets),
    '',
    ...invocationSection(r, targets),
    '',
    ...burstSection(r, targets),
    '',
    ...dbRequestsSection(r, targets),
    '',
    ...sizesSection(r, targets),
    '',
    ...consoleSection(r),
    '',
    `targets: ${missed.length ? `MISSED ${missed.map((t) => t.name).join(', ')}` : `all ${all.length} met`} — total ${r.totalSeconds.toFixed(0)} s`,
  ].join('\n');
}
