import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { launchEmulator, type RunningEmulator } from '../../emulator/src/launcher';
import { connectSdk } from '../../emulator/src/sdk';
import { DEMO_FILE_PREFIX } from '../../scripts/seed/demo-school';
import { database } from '../../server/database';

/**
 * `npm run seed` (issue 13) against a fresh emulator without the demo school, of another environment id than
 * the demo was generated in: the script, as a developer runs it, through the real @cloudbase/node-sdk; what
 * it stored read back with the admin SDK. Twice: the second run changes nothing.
 */
const root = resolve(__dirname, '../..');
const DEMO = join(root, 'database/demo');
const ENV_ID = 'prod-7g3k';
const run = promisify(execFile);

let emulator: RunningEmulator;
const work = mkdtempSync(join(tmpdir(), 'zhishi-seed-'));
beforeAll(async () => {
  emulator = await launchEmulator({ dataDir: join(work, 'data'), noDemo: true, env: { EMULATOR_TIMERS: 'off', EMULATOR_ENV_ID: ENV_ID } });
});
afterAll(async () => {
  await emulator?.stop();
  rmSync(work, { recursive: true, force: true });
});

const seed = async () => (await run(process.execPath, [join(root, 'node_modules/tsx/dist/cli.mjs'), join(root, 'scripts/seed.ts'), '--emulator', emulator.dataDir], { cwd: root })).stdout;
const linesOf = (collection: string) => readFileSync(join(DEMO, `${collection}.jsonl`), 'utf8').split('\n').filter((l) => l.trim()).length;
const collections = readdirSync(DEMO)
  .filter((f) => f.endsWith('.jsonl'))
  .map((f) => f.replace(/\.jsonl$/, ''));

describe('npm run seed', () => {
  it('imports the demo school into an environment, its file IDs rewritten to that environment, and changes nothing the second time', async () => {
    const first = await seed();
    expect(first).toContain(`[seed] the demo school into the emulator of ${emulator.dataDir} (${ENV_ID})`);
    expect(first).toContain('[seed] media: 28 uploaded, 0 already there');

    const cloud = connectSdk(emulator.sdkEnv);
    const db = database(cloud);
    for (const collection of collections) expect({ collection, count: (await db.collection(collection).count()).total }).toEqual({ collection, count: linesOf(collection) });

    // A course's cover and a lesson's article picture now name this environment's files, which hold the demo's bytes.
    const { data: course } = await db.collection<{ cover: string; publishedAt: Date }>('courses').doc('excel-basics').get();
    const prefix = `cloud://${ENV_ID}.`;
    expect(String(course.cover)).toMatch(new RegExp(`^${prefix.replace('.', '\\.')}[^/]+/demo/cover-excel-basics\\.jpg$`));
    const { data: article } = await db.collection<{ articleHtml: string }>('lessons').doc('talk-meeting-02').get();
    expect(String(article.articleHtml)).not.toContain(DEMO_FILE_PREFIX);
    expect(String(article.articleHtml)).toContain(`${prefix}`);
    const cover = await cloud.downloadFile({ fileID: String(course.cover) });
    expect(Buffer.compare(cover.fileContent, readFileSync(join(DEMO, 'media/cover-excel-basics.jpg')))).toBe(0);
    // Dates stay dates.
    expect(course.publishedAt).toBeInstanceOf(Date);

    const second = await seed();
    expect(second).toContain('[seed] media: 0 uploaded, 28 already there');
    expect(second).toContain('(nothing to change)');
    for (const collection of collections) expect(second).toContain(`[seed] ${collection}: 0 written, ${linesOf(collection)} unchanged`);
  }, 120_000);

  it('names what is missing when there is no target', async () => {
    const config = join(work, 'cloudbase.local.json');
    const failed = await run(process.execPath, [join(root, 'node_modules/tsx/dist/cli.mjs'), join(root, 'scripts/seed.ts'), '--config', config], { cwd: root }).catch((e: { code: number; stderr: string }) => e);
    expect(failed).toMatchObject({ code: 1 });
    expect((failed as { stderr: string }).stderr.trim()).toBe(`[seed] no target: copy cloudbase.local.example.json to ${config} and fill it in, or pass --emulator <data folder>`);
  });
});
