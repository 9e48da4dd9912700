import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { checkDatabase, checkFunctions, checkPages, checkSecrets, LIMITS } from '../../scripts/deploy/checks';

/**
 * `npm run deploy`'s dry run (issue 13): the repository as it is passes (after `npm run build`, which
 * `npm test` runs first); a mistake of each kind, laid out in a folder of its own, is caught and named with
 * its file and the fix.
 */
const root = resolve(__dirname, '../..');
const run = promisify(execFile);
const work = mkdtempSync(join(tmpdir(), 'zhishi-deploy-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A function folder under `<work>/<project>/cloudfunctions/<name>` with its files. */
function fn(project: string, name: string, files: Record<string, string>) {
  const dir = join(work, project, 'cloudfunctions', name);
  mkdirSync(dir, { recursive: true });
  for (const [file, text] of Object.entries({ 'index.ts': '', 'index.js': '', ...files })) writeFileSync(join(dir, file), text);
  return dir;
}

describe('npm run deploy (dry run)', () => {
  it('passes on the repository, printing each function with its size, timeout, open APIs and timers', async () => {
    const { stdout } = await run(process.execPath, [join(root, 'node_modules/tsx/dist/cli.mjs'), join(root, 'scripts/deploy.ts')], { cwd: root });
    expect(stdout).toContain('[deploy] dry run: nothing is sent');
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
    expect(checkSecrets(root, ['cloudbase.local.example.json', 'project.private.config.example.json']).problems).toEqual([]);
  });
});
