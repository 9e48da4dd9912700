import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { checkDatabase, checkFunctions, checkPages, checkSecrets, LIMITS } from '../../scripts/deploy/checks';
import { ConfigError, loadDeployConfig } from '../../scripts/deploy/config';
import { deployPlan, type Part, type PlanInput } from '../../scripts/deploy/plan';

/**
 * `npm run deploy`'s dry run (issue 13): the repository as it is passes (after `npm run build`, which
 * `npm test` runs first); a mistake of each kind, laid out in a folder of its own, is caught and named with
 * its file and the fix.
 */
const root = resolve(__dirname, '../..');
const run = promisify(execFile);
const work = mkdtempSync(join(tmpdir(), 'zhishi-deploy-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/**
 * `npm run deploy` with `args`, as `npx tsx scripts/deploy.ts` runs it. Were a developer's deploy.local.json
 * in the repository, it would upload: a configuration that does not exist is named instead.
 */
function deploy(...args: string[]) {
  const noConfig = existsSync(join(root, 'deploy.local.json')) && !args.includes('--config') ? ['--config', join(work, 'absent.local.json')] : [];
  return run(process.execPath, [join(root, 'node_modules/tsx/dist/cli.mjs'), join(root, 'scripts/deploy.ts'), ...noConfig, ...args], { cwd: root });
}

/** A function folder under `<work>/<project>/cloudfunctions/<name>` with its files. */
function fn(project: string, name: string, files: Record<string, string>) {
  const dir = join(work, project, 'cloudfunctions', name);
  mkdirSync(dir, { recursive: true });
  for (const [file, text] of Object.entries({ 'index.ts': '', 'index.js': '', 'package.json': '{}', ...files })) writeFileSync(join(dir, file), text);
  return dir;
}

describe('npm run deploy (dry run)', () => {
  it('passes on the repository, printing each function with its size, timeout, open APIs and timers; with no deploy.local.json it only checks, and says how to upload', async () => {
    const { stdout } = await deploy();
    expect(stdout).toContain('[deploy] dry run: nothing is sent');
    expect(stdout).toContain('[deploy] to upload, copy deploy.local.example.json to');
    expect(stdout).not.toContain('[deploy] plan for');
    expect(stdout).toMatch(/ {2}settleGroups +[\d.]+ KB {2}timeout 60 s {2}openapi cloudPay\.refund {2}timer everyMinute \(0 \* \* \* \* \* \*\)/);
    expect(stdout).toMatch(/mini program: main [\d.]+ KB \(TDesign [\d.]+ KB\); packages\/course/);
    expect(stdout).toMatch(/\[deploy\] \d+ functions, the console and the database rules are ready to deploy/);
  });

  it('catches an oversized function, a timeout CloudBase refuses and a malformed timer', () => {
    const big = fn('big', 'report', { 'config.json': '{"timeout": 90, "triggers": [{"name": "nightly", "type": "timer", "config": "0 0 2 * * *"}]}' });
    truncateSync(join(big, 'index.js'), LIMITS.functionBundleBytes + 1);
    const { problems } = checkFunctions(join(work, 'big'));
    expect(problems).toEqual([
      { file: 'cloudfunctions/report/index.js', message: "50.0 MB: over the 50 MB an upload takes; import less into it (esbuild's metafile shows what)" },
      { file: 'cloudfunctions/report/config.json', message: 'timeout 90: a whole number of seconds from 1 to 60' },
      {
        file: 'cloudfunctions/report/config.json',
        message: 'trigger {"name":"nightly","type":"timer","config":"0 0 2 * * *"}: a timer is {"name", "type": "timer", "config": "<second> <minute> <hour> <day> <month> <weekday> <year>"}',
      },
    ]);
  });

  it('catches a function not built', () => {
    const dir = fn('unbuilt', 'login', { 'config.json': '{"timeout": 5}' });
    rmSync(join(dir, 'index.js'));
    expect(checkFunctions(join(work, 'unbuilt')).problems).toEqual([
      { file: 'cloudfunctions/login/index.js', message: 'not built: run npm run build first (the bundle, wx-server-sdk included, is what deploys)' },
    ]);
  });

  it('catches a page a message would open that app.json does not declare', () => {
    const source = join(work, 'reminder.ts');
    writeFileSync(source, "const page = `packages/learn/replay/index?courseId=${id}`;\nconst ok = 'packages/course/detail/index';\n");
    expect(checkPages(work, [source], join(root, 'miniprogram/app.json')).problems).toEqual([
      { file: 'reminder.ts', message: 'opens packages/learn/replay/index, which miniprogram/app.json does not declare: add the page there (its package\'s "pages") or fix the path' },
    ]);
  });

  it('catches a security rule CloudBase would refuse', () => {
    const collections = join(work, 'collections.json');
    writeFileSync(collections, JSON.stringify({ collections: { orders: { description: 'x', rules: { read: 'doc.openid == auth.openid', write: 0 } } } }));
    expect(checkDatabase(collections, join(root, 'cloud.config.json')).problems).toEqual([
      { file: 'database/collections.json', message: 'collections.orders.rules.write: a rule is true, false or an expression such as "doc.openid == auth.openid"' },
    ]);
  });

  it('catches a secret in a tracked file, and passes the documented example', () => {
    mkdirSync(join(work, 'secrets'), { recursive: true });
    writeFileSync(join(work, 'secrets/cloudbase.json'), JSON.stringify({ envId: 'prod-1', secretId: `AKID${'x1Y2'.repeat(8)}`, secretKey: 'k'.repeat(32) }));
    // Joined here so that this file, which git tracks, holds no such marker itself.
    writeFileSync(join(work, 'secrets/private.key'), `${['-----BEGIN RSA', 'PRIVATE KEY-----'].join(' ')}\nMIIE...\n`);
    const { problems } = checkSecrets(join(work, 'secrets'), ['cloudbase.json', 'private.key']);
    expect(problems.map((p) => `${p.file}: ${p.message.split(':')[0]}`)).toEqual([
      'cloudbase.json: holds a Tencent Cloud API key id (AKID...)',
      'cloudbase.json: holds a filled-in secret field',
      'private.key: holds a private key (an upload key or a merchant certificate)',
    ]);
    expect(checkSecrets(root, ['cloudbase.local.example.json', 'deploy.local.example.json', 'project.private.config.example.json']).problems).toEqual([]);
  });
});

/**
 * The upload (issue 13): the plan made for the repository, the refused configurations, and that a dry run
 * sends nothing. The upload itself is not tested: it goes to WeChat's servers through miniprogram-ci, which
 * are unreachable here, and a stand-in for miniprogram-ci would only test the stand-in.
 */
describe('npm run deploy (upload plan and deploy.local.json)', () => {
  const functionsDir = join(root, 'cloudfunctions');
  const planFor = (options: Partial<PlanInput> = {}) =>
    deployPlan({ root, appId: 'wx0123456789abcdef', envId: 'prod-1a2b3c', functions: checkFunctions(root).functions, warnings: [], version: '0.1.0', desc: 'test', media: false, only: ['functions', 'console', 'miniprogram'], ...options });

  it('uploads every built function with its timers, the console and the mini program without config.local.json; the media only with --media', () => {
    const plan = planFor();
    const built = readdirSync(functionsDir).filter((name) => existsSync(join(functionsDir, name, 'index.js'))).sort();
    expect(plan.steps.filter((s) => s.kind === 'function').map((s) => s.name).sort()).toEqual(built);
    for (const step of plan.steps) {
      if (step.kind === 'function') expect(step.files).toEqual(['index.js', 'config.json', 'package.json']);
    }
    // Each function's timers, exactly as its config.json lists them, right after its upload.
    const timers = built.flatMap((name) => {
      const { triggers = [] } = JSON.parse(readFileSync(join(functionsDir, name, 'config.json'), 'utf8')) as { triggers?: Array<{ name: string; type: string; config: string }> };
      return triggers.length ? [{ kind: 'timers', function: name, timers: triggers }] : [];
    });
    expect(timers.length).toBeGreaterThanOrEqual(6);
    const byFunction = (a: { function: string }, b: { function: string }) => a.function.localeCompare(b.function);
    expect(plan.steps.flatMap((s) => (s.kind === 'timers' ? [s] : [])).sort(byFunction)).toEqual(timers.sort(byFunction));
    const settle = plan.steps.findIndex((s) => s.kind === 'function' && s.name === 'settleGroups');
    expect(plan.steps[settle + 1]).toEqual({ kind: 'timers', function: 'settleGroups', timers: [{ name: 'everyMinute', type: 'timer', config: '0 * * * * * *' }] });

    expect(plan.steps.filter((s) => s.kind === 'console')).toEqual([{ kind: 'console', source: join(root, 'cms'), remotePath: 'console/' }]);
    expect(plan.steps.filter((s) => s.kind === 'media')).toEqual([]);
    expect(plan.steps.at(-1)).toEqual({ kind: 'miniprogram', version: '0.1.0', desc: 'test' });
    expect(plan.project).toEqual({ path: root, ignores: expect.arrayContaining(['miniprogram/config.local.json']) });

    expect(planFor({ media: true }).steps.filter((s) => s.kind === 'media')).toEqual([{ kind: 'media', dir: join(root, 'database/demo/media'), remotePath: 'demo/' }]);
    const kinds = (only: Part[]) => [...new Set(planFor({ only }).steps.map((s) => s.kind))];
    expect(kinds(['functions'])).toEqual(['function', 'timers']);
    expect(kinds(['console', 'miniprogram'])).toEqual(['console', 'miniprogram']);
  });

  describe('deploy.local.json', () => {
    const repo = join(work, 'keys');
    const key = join(repo, 'private.wx0123456789abcdef.key');
    const good = { appId: 'wx0123456789abcdef', envId: 'prod-1a2b3c', privateKeyPath: 'private.wx0123456789abcdef.key' };
    const load = (config: object) => {
      const file = join(repo, 'deploy.local.json');
      writeFileSync(file, JSON.stringify(config));
      return () => loadDeployConfig(file);
    };
    beforeAll(async () => {
      mkdirSync(repo, { recursive: true });
      await run('git', ['init', '-q'], { cwd: repo });
      writeFileSync(key, 'not a real key\n');
    });

    it('takes a filled-in copy, the key beside it and not tracked by git', () => {
      expect(load(good)()).toEqual({ ...good, privateKeyPath: key });
    });

    it('refuses a missing appId, a bad envId and a missing key file, naming the field', () => {
      const { appId: _, ...noAppId } = good;
      expect(load(noAppId)).toThrow(ConfigError);
      expect(load(noAppId)).toThrow(/deploy\.local\.json: appId is missing: give the mini program's AppID/);
      expect(load({ ...good, envId: 'Prod Env' })).toThrow(/envId "Prod Env" is not valid: give the CloudBase environment ID/);
      expect(load({ ...good, envId: 'your-env-id' })).toThrow(/envId "your-env-id" is not valid/);
      expect(load({ ...good, privateKeyPath: 'private.wxffffffffffffffff.key' })).toThrow(/privateKeyPath: no file at .*private\.wxffffffffffffffff\.key: download the key/);
    });

    it('refuses a key file git tracks', async () => {
      const tracked = join(repo, 'tracked.key');
      writeFileSync(tracked, 'not a real key\n');
      await run('git', ['add', 'tracked.key'], { cwd: repo });
      expect(load({ ...good, privateKeyPath: 'tracked.key' })).toThrow(/privateKeyPath: .*tracked\.key is tracked by git: a key must never be committed/);
    });

    it('with --dry-run prints the plan and sends nothing (miniprogram-ci is not even installed)', async () => {
      const tools = join(root, '.deploy-tools');
      const hadTools = existsSync(tools);
      load(good);
      const { stdout } = await deploy('--dry-run', '--config', join(repo, 'deploy.local.json'));
      expect(stdout).toContain('[deploy] dry run: nothing is sent');
      expect(stdout).toMatch(/\[deploy\] plan for prod-1a2b3c \(wx0123456789abcdef\), key .*private\.wx0123456789abcdef\.key: \d+ step\(s\)/);
      // The function quota's warning applies to an upload too; it does not stop it.
      expect(stdout).toMatch(/\[deploy\] warning: cloudfunctions: \d+ functions: an environment allows 50 by default/);
      expect(stdout).toContain('[deploy] dry run (--dry-run): nothing was sent');
      expect(stdout).not.toContain('installing miniprogram-ci');
      expect(stdout).not.toContain('not a real key');
      if (!hadTools) expect(existsSync(tools)).toBe(false);
    });
  });
});
