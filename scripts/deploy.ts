/**
 * `npm run deploy` (issue 13). First the dry run: it checks, without any network, what a deploy would send
 * (scripts/deploy/checks.ts): every function's bundle and config against CloudBase's limits, every page the
 * server side opens against app.json, the mini program's packages against WeChat's limits, the collections
 * and rules `npm run provision` would apply, the console's build, and that no tracked file holds a secret.
 * A problem names its file and the fix; exit 1.
 * Then, when `deploy.local.json` (git-ignored; see deploy.local.example.json) names the AppID, the
 * environment and the code upload key, the upload plan (scripts/deploy/plan.ts) is printed and carried out
 * with miniprogram-ci (scripts/deploy/upload.ts): the functions and their timers, the console on static
 * hosting, and the mini program's code.
 *   npm run deploy                          checks, then uploads if deploy.local.json is there
 *   npm run deploy -- --dry-run             checks and prints the plan; sends nothing
 *   npm run deploy -- --media               also uploads database/demo/media/ under demo/ in storage
 *   npm run deploy -- --only functions,console,miniprogram   a part only
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { checkConsole, checkDatabase, checkFunctions, checkPackages, checkPages, checkSecrets, serverSources, type CheckResult } from './deploy/checks';
import { ConfigError, loadDeployConfig } from './deploy/config';
import { deployPlan, describeStep, PARTS, type Part } from './deploy/plan';
import { executePlan, loadMiniprogramCi } from './deploy/upload';

const root = resolve(__dirname, '..');
const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

/** The dry run's checks, printed; answers the functions found and the number of problems. */
function runChecks() {
  const functions = checkFunctions(root);
  const packages = checkPackages(root);
  const sections: Array<[string, CheckResult]> = [
    ['functions', functions],
    ['pages opened by messages, codes and shares', checkPages(root, serverSources(root))],
    ['mini program packages', packages],
    ['collections and security rules', checkDatabase(resolve(root, 'database/collections.json'), resolve(root, 'cloud.config.json'))],
    ['creator console', checkConsole(root)],
    ['secrets in tracked files', checkSecrets(root)],
  ];
  for (const fn of functions.functions) {
    console.log(`  ${fn.name.padEnd(26)} ${kb(fn.bytes).padStart(11)}  timeout ${String(fn.timeout).padStart(2)} s${fn.openapi.length ? `  openapi ${fn.openapi.join(', ')}` : ''}${fn.triggers.length ? `  timer ${fn.triggers.join(', ')}` : ''}`);
  }
  const { mainPackageBytes, tdesign, subpackages } = packages.sizes;
  console.log(`  mini program: main ${kb(mainPackageBytes + tdesign.bytes)} (TDesign ${kb(tdesign.bytes)}); ${subpackages.map((s) => `${s.root} ${kb(s.bytes)}`).join(', ')}`);
  let problems = 0;
  for (const [name, result] of sections) {
    for (const w of result.warnings) console.log(`[deploy] warning (${name}): ${w.file}: ${w.message}`);
    for (const p of result.problems) console.error(`[deploy] problem (${name}): ${p.file}: ${p.message}`);
    problems += result.problems.length;
  }
  console.log(problems ? `[deploy] ${problems} problem(s): fix them before deploying` : `[deploy] ${functions.functions.length} functions, the console and the database rules are ready to deploy`);
  return { functions, problems };
}

/** `--only a,b`: each a part of PARTS. */
function parseOnly(value: string | undefined): Part[] {
  if (!value) return [...PARTS];
  const parts = value.split(',').map((p) => p.trim());
  const unknown = parts.filter((p) => !(PARTS as readonly string[]).includes(p));
  if (unknown.length) throw new ConfigError(`--only ${unknown.join(', ')}: choose among ${PARTS.join(', ')} (comma separated)`);
  return parts as Part[];
}

/** The commit deployed, for the mini program's description. */
function commit(): string {
  try {
    return execFileSync('git', ['describe', '--always', '--dirty'], { cwd: root, encoding: 'utf8' }).trim();
  } catch {
    return 'no git';
  }
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      'dry-run': { type: 'boolean', default: false },
      media: { type: 'boolean', default: false },
      only: { type: 'string' },
      config: { type: 'string', default: resolve(root, 'deploy.local.json') },
    },
  });
  const only = parseOnly(values.only);
  const configFile = resolve(values.config);
  const configured = existsSync(configFile);
  // A broken configuration stops before the checks' long output, and before anything is sent.
  const config = configured ? loadDeployConfig(configFile) : undefined;
  const dryRun = values['dry-run'] || !config;
  console.log(`[deploy] ${dryRun ? 'dry run: nothing is sent' : `checks before uploading to ${config!.envId} (${config!.appId})`}`);
  if (!configured) console.log(`[deploy] to upload, copy deploy.local.example.json to ${relative(root, configFile) || configFile} and fill it in (AppID, environment, code upload key)`);
  const { functions, problems } = runChecks();
  if (problems) return 1;
  if (!config) return 0;

  const { version } = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')) as { version: string };
  const plan = deployPlan({
    root,
    appId: config.appId,
    envId: config.envId,
    functions: functions.functions,
    warnings: functions.warnings.map((w) => `${w.file}: ${w.message}`),
    version,
    desc: `npm run deploy of ${commit()}`,
    media: values.media,
    only,
  });
  console.log(`[deploy] plan for ${config.envId} (${config.appId}), key ${config.privateKeyPath}: ${plan.steps.length} step(s)`);
  for (const [i, step] of plan.steps.entries()) console.log(`  ${i + 1}. ${describeStep(step, plan)}`);
  for (const w of plan.warnings) console.log(`[deploy] warning: ${w}`);
  if (dryRun) {
    console.log('[deploy] dry run (--dry-run): nothing was sent; run without --dry-run to upload');
    return 0;
  }
  const ci = loadMiniprogramCi(root, (line) => console.log(`[deploy] ${line}`));
  const checks = await executePlan(ci, plan, config, (line) => console.log(`[deploy] ${line}`));
  console.log(`[deploy] done: ${plan.steps.length} step(s) uploaded to ${config.envId}`);
  for (const check of checks) console.log(`[deploy] to check: ${check}`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(`[deploy] ${(e as Error).message}`);
    process.exit(1);
  },
);
