/**
 * The README's "Measured figures" from a bench run (`npm run bench -- --readme`): the tables between the
 * `<!-- bench:<name>:start -->` and `<!-- bench:<name>:end -->` markers are rewritten, so the figures the
 * README shows are the ones the bench last printed, never hand-copied.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { int, ms } from './format';
import { checkTargets, describeProviderCalls, sdkConclusion, type BenchResults, type TargetCheck } from './report';

/** `text` with what lies between the start and end markers of `name` replaced by `block`. */
export function replaceBetweenMarkers(text: string, name: string, block: string): string {
  const start = `<!-- bench:${name}:start -->`;
  const end = `<!-- bench:${name}:end -->`;
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  const once = (marker: string, at: number) => at >= 0 && text.indexOf(marker, at + marker.length) < 0;
  if (!once(start, from) || !once(end, to) || to < from) throw new Error(`expected one ${start} followed by one ${end}`);
  return `${text.slice(0, from + start.length)}\n${block}\n${text.slice(to)}`;
}

const kb = (bytes: number) => `${(bytes / 1024).toLocaleString('en', { minimumFractionDigits: 1, maximumFractionDigits: 1 })} KB`;
const duration = (msValue: number) => (msValue < 1000 ? `${ms(msValue)} ms` : `${(msValue / 1000).toFixed(2)} s`);
const latency = (p50: number, p99: number) => `p50 ${duration(p50)}, p99 ${duration(p99)}`;
const target = (t: TargetCheck | undefined) => (t ? `${t.rule}: ${t.met ? 'met' : 'MISSED'}` : '');
const row = (cells: string[]) => `| ${cells.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`;

/** The run: when, on what, under which load, and how long it took. */
function runLine(r: BenchResults, date: Date): string {
  const e = r.environment;
  return (
    `Last run ${date.toISOString().slice(0, 10)}, on ${e.cores} cores (${e.cpuModel}), Node ${e.node}, load average ` +
    `${e.loadAverage.toFixed(1)} at start; the bench took ${r.totalSeconds.toFixed(0)} s:`
  );
}

/** The main table: latencies, throughput, database requests per operation and sizes, with their targets. */
function figuresTable(r: BenchResults, date: Date): string {
  const t = checkTargets(r);
  const d = r.database;
  const docs = `${int(d.documents)} documents`;
  const burst = (b: BenchResults['bursts']['growing']) =>
    `${int(b.completed)} done, ${int(b.failed)} failed, ${duration(b.wallMs)} (${int(b.perSecond)}/s)` + (b.latencyMs ? `, p99 ${duration(b.latencyMs.p99)}` : '');
  const { login } = r.coldStarts;
  const bundles = r.bundles.map((b) => b.bytes);
  const { mainPackageBytes, subpackages, tdesign } = r.miniprogram;
  const rows = [
    [`\`doc(id).get()\` at ${docs}`, latency(d.pointRead.p50, d.pointRead.p99), ''],
    [
      `indexed \`where({course}).limit(${d.indexedQuery.returnedPerQuery}).get()\` at ${docs}`,
      `${latency(d.indexedQuery.p50, d.indexedQuery.p99)}; ${int(d.indexedQuery.docsExaminedPerQuery)} documents examined`,
      target(t.indexedQuery),
    ],
    ['warm invocation of a trivial function through the gateway', latency(r.warmInvocation.p50, r.warmInvocation.p99), target(t.warmInvocation)],
    ['cold start of a trivial function (new instance)', `p50 ${duration(r.coldStarts.noop.durationMs.p50)}`, ''],
    [`cold start of \`login\` (new instance, loads the bundled SDK, ${login.coldDbRequests} DB requests)`, `${duration(login.coldDurationMs)}; warm ${duration(login.warmDurationMs)}`, ''],
    [
      `${int(r.bursts.growing.fired)} concurrent invocations, pool growing to ${r.environment.maxInstancesPerFunction} instances`,
      burst(r.bursts.growing),
      target(t.burstFailures),
    ],
    [`${int(r.bursts.warm.fired)} concurrent invocations, warm pool`, burst(r.bursts.warm), target(t.burstFailures)],
    [`insert ${docs} (batches of ${int(d.insert.batch)})`, `${d.insert.seconds.toFixed(1)} s (${int(d.insert.docsPerSecond)} docs/s)`, ''],
    ...r.dbRequests.map(({ operation, dbRequests, providerCalls }) => [
      `DB requests: ${operation}`,
      providerCalls ? `${dbRequests}; provider calls ${describeProviderCalls(providerCalls)}` : String(dbRequests),
      target(t[`dbRequests: ${operation}`]),
    ]),
    [
      `built functions (${r.bundles.length}, each \`index.js\` with wx-server-sdk bundled)`,
      `${kb(Math.min(...bundles))} to ${kb(Math.max(...bundles))} each`,
      '',
    ],
    [
      'mini program main package',
      `${kb(mainPackageBytes)} (subpackages: ${subpackages.map((s) => `${s.root} ${kb(s.bytes)}`).join(', ')}; ` +
        `TDesign's ${tdesign.withDependencies} components and \`common/\` ${kb(tdesign.bytes)})`,
      `${target(t.mainPackage)}, excluding TDesign`,
    ],
    [
      'creator console download (gzip)',
      `first load ${kb(r.console.firstLoadGzipBytes)} (index.html, entry script and styles); the dashboard's chunks ${kb(r.console.dashboardGzipBytes)}; whole build ${kb(r.console.totalGzipBytes)}`,
      '',
    ],
    [
      'creator console: the dashboard in Chromium, navigation to figures and charts drawn (signed in)',
      latency(r.console.dashboardFirstRender.p50, r.console.dashboardFirstRender.p99),
      '',
    ],
  ];
  return [runLine(r, date), '', row(['what', 'figure', 'target']), row(['---', '---', '---']), ...rows.map(row)].join('\n');
}

/** `login` built with wx-server-sdk bundled and left out: bundle size and cold `require()`. */
function sdkPlacementTable(r: BenchResults): string {
  const { bundled, external } = r.sdkPlacement;
  return [
    row(['wx-server-sdk', 'bundle', 'cold require']),
    row(['---', '---', '---']),
    row(['bundled into `index.js` (chosen)', kb(bundled.bytes), duration(bundled.requireMs)]),
    row(["left to the cloud's npm install", kb(external.bytes), duration(external.requireMs)]),
    '',
    `The bench's conclusion: ${sdkConclusion(r.sdkPlacement)}.`,
  ].join('\n');
}

/** Rewrites the bench's tables in `readmeFile`. */
export function updateReadme(readmeFile: string, r: BenchResults, date = new Date()) {
  let text = readFileSync(readmeFile, 'utf8');
  text = replaceBetweenMarkers(text, 'figures', figuresTable(r, date));
  text = replaceBetweenMarkers(text, 'sdk-placement', sdkPlacementTable(r));
  writeFileSync(readmeFile, text);
}
