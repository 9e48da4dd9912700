/**
 * What `npm run deploy -- --dry-run` checks before anything is sent (issue 13): each a function of the files
 * it reads, answering problems that name the file and the fix, and warnings that do not stop a deploy.
 * Limits, with their sources:
 * - a function's code: 500 MB before compression (Tencent Cloud SCF quotas, cloud.tencent.com/document/product/583/11637);
 *   an upload through the API is a zip of at most 50 MB, which this project's bundles stay far below;
 * - a function's timeout: 1 to 60 s as CloudBase sets it (cloud.tencent.com/document/product/845/19360);
 * - functions per environment: 50 by default (SCF quotas, per namespace), more on larger plans: a warning;
 * - the mini program: 2 MB for the main package (with the npm components it uses) and for each subpackage,
 *   20 MB in all (WeChat's subpackage rules).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { miniprogramSizes } from '../bench/bundles';
import { functionDirs } from '../build';
import { PlanError, provisionPlan, type CollectionSpec } from '../provision/plan';

export interface Finding {
  file: string;
  message: string;
}

export interface CheckResult {
  problems: Finding[];
  warnings: Finding[];
}

const MB = 1024 * 1024;
export const LIMITS = { functionBundleBytes: 50 * MB, timeoutSec: { min: 1, max: 60 }, functionsPerEnv: 50, packageBytes: 2 * MB, totalPackageBytes: 20 * MB };

const empty = (): CheckResult => ({ problems: [], warnings: [] });

/** A CloudBase timer trigger's cron: 7 fields (second minute hour day month weekday year). */
const CRON = /^(\S+\s+){6}\S+$/;
/** An open API a function may list: `<group>.<method>`, e.g. `cloudPay.refund`. */
const OPEN_API = /^[a-z][A-Za-z]*\.[a-z][A-Za-z]*$/;

interface FunctionConfig {
  timeout?: unknown;
  permissions?: { openapi?: unknown };
  triggers?: Array<{ name?: unknown; type?: unknown; config?: unknown }>;
}

/** A timer trigger as config.json and miniprogram-ci's cloud.createTimeTrigger both write it. */
export interface Timer {
  name: string;
  type: 'timer';
  config: string;
}

export interface FunctionFinding {
  name: string;
  bytes: number;
  timeout: number;
  openapi: string[];
  /** Printable: `name (cron)`. */
  triggers: string[];
  timers: Timer[];
}

/** Each function under `dir`: built, not oversized, with a config CloudBase takes. */
export function checkFunctions(root: string, dir = join(root, 'cloudfunctions')): CheckResult & { functions: FunctionFinding[] } {
  const result = { ...empty(), functions: [] as FunctionFinding[] };
  const dirs = functionDirs(dir);
  for (const fn of dirs) {
    const name = relative(dir, fn);
    const at = (file: string) => relative(root, join(fn, file));
    const bundle = join(fn, 'index.js');
    if (!existsSync(bundle)) {
      result.problems.push({ file: at('index.js'), message: 'not built: run npm run build first (the bundle, wx-server-sdk included, is what deploys)' });
      continue;
    }
    // What an upload sends (scripts/deploy/plan.ts): the bundle, its config and package.json.
    if (!existsSync(join(fn, 'package.json'))) result.problems.push({ file: at('package.json'), message: 'missing: an uploaded function needs one; give it {"name": "<function>", "main": "index.js"} and no dependencies' });
    const bytes = statSync(bundle).size;
    if (bytes > LIMITS.functionBundleBytes) result.problems.push({ file: at('index.js'), message: `${(bytes / MB).toFixed(1)} MB: over the ${LIMITS.functionBundleBytes / MB} MB an upload takes; import less into it (esbuild's metafile shows what)` });
    let config: FunctionConfig = {};
    try {
      config = JSON.parse(readFileSync(join(fn, 'config.json'), 'utf8')) as FunctionConfig;
    } catch (e) {
      result.problems.push({ file: at('config.json'), message: `unreadable (${(e as Error).message}): give it at least {"timeout": 5}` });
    }
    const timeout = config.timeout ?? 3;
    if (typeof timeout !== 'number' || !Number.isInteger(timeout) || timeout < LIMITS.timeoutSec.min || timeout > LIMITS.timeoutSec.max) {
      result.problems.push({ file: at('config.json'), message: `timeout ${JSON.stringify(timeout)}: a whole number of seconds from ${LIMITS.timeoutSec.min} to ${LIMITS.timeoutSec.max}` });
    }
    const openapi = Array.isArray(config.permissions?.openapi) ? (config.permissions.openapi as unknown[]) : [];
    for (const api of openapi) if (typeof api !== 'string' || !OPEN_API.test(api)) result.problems.push({ file: at('config.json'), message: `permissions.openapi: ${JSON.stringify(api)} is not an open API name such as "cloudPay.refund"` });
    for (const trigger of config.triggers ?? []) {
      if (typeof trigger.name !== 'string' || !trigger.name || trigger.type !== 'timer' || typeof trigger.config !== 'string' || !CRON.test(trigger.config.trim())) {
        result.problems.push({ file: at('config.json'), message: `trigger ${JSON.stringify(trigger)}: a timer is {"name", "type": "timer", "config": "<second> <minute> <hour> <day> <month> <weekday> <year>"}` });
      }
    }
    const triggers = config.triggers ?? [];
    result.functions.push({
      name,
      bytes,
      timeout: Number(timeout),
      openapi: openapi.map(String),
      triggers: triggers.map((t) => `${String(t.name)} (${String(t.config)})`),
      timers: triggers.map((t) => ({ name: String(t.name), type: 'timer', config: String(t.config).trim() })),
    });
  }
  if (dirs.length > LIMITS.functionsPerEnv) {
    result.warnings.push({ file: relative(root, dir), message: `${dirs.length} functions: an environment allows ${LIMITS.functionsPerEnv} by default; check your plan's function quota (云开发控制台 > 环境 > 配额) before deploying` });
  }
  return result;
}

/** The page paths written in `files` (a subscription message's page, a mini-program code's page...). */
const PAGE = /["'`]\/?((?:pages|packages)\/[\w-]+(?:\/[\w-]+)*\/index)(?=[?"'`])/g;

/** The pages of app.json: the main package's and every subpackage's, `root/page`. */
export function appPages(appJson: string): Set<string> {
  const app = JSON.parse(readFileSync(appJson, 'utf8')) as { pages?: string[]; subPackages?: Array<{ root: string; pages: string[] }>; subpackages?: Array<{ root: string; pages: string[] }> };
  const subs = app.subPackages ?? app.subpackages ?? [];
  return new Set([...(app.pages ?? []), ...subs.flatMap((p) => p.pages.map((page) => `${p.root.replace(/\/$/, '')}/${page}`))]);
}

/** Every page the server side opens (messages, codes, shares) exists in app.json. */
export function checkPages(root: string, sourceFiles: string[], appJson = join(root, 'miniprogram/app.json')): CheckResult {
  const result = empty();
  const pages = appPages(appJson);
  for (const file of sourceFiles) {
    for (const [, page] of readFileSync(file, 'utf8').matchAll(PAGE)) {
      if (!pages.has(page!)) result.problems.push({ file: relative(root, file), message: `opens ${page}, which miniprogram/app.json does not declare: add the page there (its package's "pages") or fix the path` });
    }
  }
  return result;
}

/** The main package (with the TDesign components it uses), each subpackage and the whole under WeChat's limits. */
export function checkPackages(root: string): CheckResult & { sizes: ReturnType<typeof miniprogramSizes> } {
  const result = { ...empty(), sizes: miniprogramSizes(root) };
  const { mainPackageBytes, subpackages, tdesign } = result.sizes;
  const main = mainPackageBytes + tdesign.bytes;
  const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
  if (main > LIMITS.packageBytes) result.problems.push({ file: 'miniprogram/', message: `main package ${kb(main)} (TDesign included) over 2 MB: move pages into subpackages` });
  for (const sub of subpackages) if (sub.bytes > LIMITS.packageBytes) result.problems.push({ file: `miniprogram/${sub.root}/`, message: `subpackage ${kb(sub.bytes)} over 2 MB: split it` });
  const total = main + subpackages.reduce((n, s) => n + s.bytes, 0);
  if (total > LIMITS.totalPackageBytes) result.problems.push({ file: 'miniprogram/', message: `${kb(total)} in all, over 20 MB` });
  if (existsSync(join(root, 'miniprogram/config.local.json'))) {
    result.warnings.push({
      file: 'miniprogram/config.local.json',
      message: "npm start's local setup: npm run deploy leaves it out of the upload, but DevTools' 上传 would include it (a trial or release build ignores it); delete it before uploading from DevTools",
    });
  }
  return result;
}

/** database/collections.json and cloud.config.json's storage rules, as `npm run provision` reads them. */
export function checkDatabase(collectionsFile: string, cloudConfigFile: string): CheckResult {
  const result = empty();
  try {
    const { collections } = JSON.parse(readFileSync(collectionsFile, 'utf8')) as { collections: Record<string, CollectionSpec> };
    const { storage } = JSON.parse(readFileSync(cloudConfigFile, 'utf8')) as { storage?: { rules?: { read: string; write: string } } };
    provisionPlan(collections, storage?.rules);
  } catch (e) {
    if (e instanceof SyntaxError) result.problems.push({ file: `${relative(process.cwd(), collectionsFile)} or ${relative(process.cwd(), cloudConfigFile)}`, message: `not JSON: ${e.message}` });
    else if (e instanceof PlanError) {
      const [file, ...rest] = e.message.split(': ');
      result.problems.push({ file: file!, message: rest.join(': ') });
    } else throw e;
  }
  return result;
}

/** The creator console is built, and names no environment (static hosting gets a config.json per deploy). */
export function checkConsole(root: string): CheckResult {
  const result = empty();
  const dist = join(root, 'cms/dist');
  if (!existsSync(join(dist, 'index.html'))) result.problems.push({ file: 'cms/dist/index.html', message: 'not built: run npm run build' });
  else if (existsSync(join(dist, 'config.json'))) result.warnings.push({ file: 'cms/dist/config.json', message: 'a local config.json would be uploaded: the deploy writes the environment\'s own beside index.html' });
  return result;
}

/** What a secret looks like in a file: a Tencent Cloud API key id, a private key, or a filled-in secret field. */
const SECRETS: Array<{ pattern: RegExp; what: string }> = [
  { pattern: /AKID[A-Za-z0-9]{32}/, what: 'a Tencent Cloud API key id (AKID...)' },
  { pattern: /-----BEGIN (?:RSA |EC )?PRIVATE KEY-----/, what: 'a private key (an upload key or a merchant certificate)' },
  { pattern: /"(?:secretKey|appSecret|AppSecret|XPAY_APP_KEY|MP_APP_SECRET)"\s*:\s*"[A-Za-z0-9]{24,}"/, what: 'a filled-in secret field' },
];

/** Files git tracks (or `files`) that hold a secret: they must live in git-ignored local files instead. */
export function checkSecrets(root: string, files = execFileSync('git', ['ls-files'], { cwd: root, encoding: 'utf8' }).split('\n').filter(Boolean)): CheckResult {
  const result = empty();
  for (const file of files) {
    const path = join(root, file);
    if (!existsSync(path) || statSync(path).size > 2 * MB) continue;
    const text = readFileSync(path, 'utf8');
    if (text.includes('\u0000')) continue;
    for (const { pattern, what } of SECRETS) {
      if (pattern.test(text)) result.problems.push({ file, message: `holds ${what}: move it to a git-ignored *.local.json (see cloudbase.local.example.json) and rotate it, it was committed` });
    }
  }
  return result;
}

/** The TypeScript sources of the server side, where pages are named. */
export function serverSources(root: string): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
  return ['domain', 'server'].flatMap((d) => walk(join(root, d)));
}
