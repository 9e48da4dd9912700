import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchEmulator, type RunningEmulator } from '../../emulator/src/launcher';
import { connectSdk } from '../support/sdk';

/** An acknowledged write survives `kill -9` of the emulator; demo data loads only on the first run. */
describe('durability', () => {
  const { database } = connectSdk();
  const dataDir = mkdtempSync(join(tmpdir(), 'zhishi-durability-'));
  let emulator: RunningEmulator | undefined;

  const pointSdkAt = (running: RunningEmulator) => Object.assign(process.env, running.sdkEnv);

  afterAll(async () => {
    await emulator?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps every acknowledged write across kill -9 and a restart', async () => {
    emulator = await launchEmulator({ dataDir });
    pointSdkAt(emulator);
    const db = database();
    await db.createCollection('journal');
    await Promise.all(Array.from({ length: 200 }, (_v, i) => db.collection('journal').add({ data: { _id: `e${i}`, i } })));
    await db.collection('journal').doc('e7').update({ data: { edited: true } });
    await db.collection('journal').doc('e8').remove();
    await db.runTransaction(async (t) => {
      await t.collection('journal').doc('e9').update({ data: { inTransaction: true } });
    });

    await emulator.kill();
    emulator = await launchEmulator({ dataDir });
    pointSdkAt(emulator);

    const journal = database().collection('journal');
    expect((await journal.count()).total).toBe(199);
    expect((await journal.doc('e7').get()).data).toEqual({ _id: 'e7', i: 7, edited: true });
    await expect(journal.doc('e8').get()).rejects.toThrow(/does not exist/);
    expect((await journal.doc('e9').get()).data.inTransaction).toBe(true);
    const { data } = await journal.where({ i: database().command.gte(190) }).orderBy('i', 'asc').get();
    expect(data.map((d) => d.i)).toEqual([190, 191, 192, 193, 194, 195, 196, 197, 198, 199]);
  });

  it('does not reload demo data over a learner\'s changes on restart', async () => {
    const users = database().collection('users');
    const before = (await users.count()).total;
    await users.add({ data: { _id: 'o-after-first-run', nickname: '新学员' } });
    await emulator!.stop();
    emulator = await launchEmulator({ dataDir });
    pointSdkAt(emulator);
    expect((await database().collection('users').count()).total).toBe(before + 1);
  });
});
