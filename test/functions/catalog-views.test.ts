import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HomeView } from '../../domain/contracts/catalog';
import type { Reply } from '../../domain/contracts/result';
import { launchEmulator, type RunningEmulator } from '../../emulator/src/launcher';
import { database } from '../../server/database';
import { connectSdk } from '../../emulator/src/sdk';

/**
 * The home snapshot follows catalog changes made outside the product (here: straight into the
 * database, as a console import would) once the rebuild timer runs. Its own emulator, because it
 * changes the demo catalog that other tests read.
 */
describe('catalog views', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'zhishi-views-'));
  let emulator: RunningEmulator;

  beforeAll(async () => {
    emulator = await launchEmulator({ dataDir, env: { EMULATOR_TIMERS: 'off' } });
  });
  afterAll(async () => {
    await emulator.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function post<T>(path: string, body: unknown): Promise<T> {
    const res = await fetch(`${emulator.url}${path}`, { method: 'POST', body: JSON.stringify(body) });
    if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  }
  const home = async () => {
    const { result } = await post<{ result: Reply<HomeView> }>('/gateway/callFunction', { name: 'getHome', openid: 'o-views' });
    if (!result.ok) throw new Error(result.message);
    return result.data;
  };

  it('rebuilds the home snapshot on its timer, and refuses to be called by a learner', async () => {
    expect((await home()).featured[0].title).toBe('Excel 零基础到高效办公');
    const db = database(connectSdk(emulator.sdkEnv));
    await db.collection('courses').doc('excel-basics').update({ data: { title: 'Excel 零基础到高效办公（新版）' } });
    expect((await home()).featured[0].title).toBe('Excel 零基础到高效办公');

    await post('/__emulator/timers/rebuildCatalogViews/every10Minutes/fire', {});
    expect((await home()).featured[0].title).toBe('Excel 零基础到高效办公（新版）');

    const asLearner = await post<{ result: Reply<unknown> }>('/gateway/callFunction', { name: 'rebuildCatalogViews', openid: 'o-views' });
    expect(asLearner.result).toEqual({ ok: false, code: 'FORBIDDEN', message: '无权调用' });
  });
});
