import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchEmulator, type RunningEmulator } from '../../emulator/src/launcher';

/** `--reset` (`npm start -- --reset`): the same data folder starts again from the demo data. */
describe('--reset', () => {
  const work = mkdtempSync(join(tmpdir(), 'zhishi-reset-'));
  let emulator: RunningEmulator | undefined;

  // Timers off: a scheduled run must not write between the snapshots compared.
  const launch = (dataDir: string, reset = false) => launchEmulator({ dataDir, reset, env: { EMULATOR_TIMERS: 'off' } });
  const get = async <T>(path: string) => (await (await fetch(`${emulator!.url}/__emulator${path}`)).json()) as T;
  const collections = () => get<Array<{ name: string; count: number }>>('/collections');
  const storedFiles = async () => (await get<Array<{ path: string }>>('/storage/files')).map((f) => f.path).sort();

  afterAll(async () => {
    await emulator?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it('wipes what learners and scripts wrote and loads the demo data again', async () => {
    const dataDir = join(work, 'data');
    emulator = await launch(dataDir);
    const demo = { collections: await collections(), files: await storedFiles() };
    expect(demo.collections.find((c) => c.name === 'users')!.count).toBeGreaterThan(0);
    expect(demo.files.length).toBeGreaterThan(0);

    await fetch(`${emulator.url}/gateway/callFunction`, { method: 'POST', body: JSON.stringify({ name: 'login', openid: 'o-before-reset' }) });
    await fetch(`${emulator.url}/__emulator/collections`, { method: 'POST', body: JSON.stringify({ name: 'scratch' }) });
    expect(await collections()).not.toEqual(demo.collections);
    await emulator.stop();

    emulator = await launch(dataDir);
    expect(await collections()).not.toEqual(demo.collections);
    await emulator.stop();

    emulator = await launch(dataDir, true);
    expect(await collections()).toEqual(demo.collections);
    expect(await storedFiles()).toEqual(demo.files);
  }, 120_000);

  it('refuses a data folder holding files the emulator does not write, and removes nothing', async () => {
    const dataDir = join(work, 'not-emulator-data');
    mkdirSync(join(dataDir, 'db'), { recursive: true });
    writeFileSync(join(dataDir, 'db/data.mdb'), '');
    writeFileSync(join(dataDir, 'thesis.md'), 'months of work');
    await expect(launch(dataDir, true)).rejects.toThrow(/--reset refused: .*holds thesis\.md, which the emulator does not write/);
    expect(existsSync(join(dataDir, 'thesis.md'))).toBe(true);
    expect(existsSync(join(dataDir, 'db/data.mdb'))).toBe(true);
  });
});
