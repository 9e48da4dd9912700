import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { launchEmulator, type RunningEmulator } from '../../emulator/src/launcher';
import { buildFunction, functionDirs } from '../../scripts/build';

const root = resolve(__dirname, '../..');

declare global {
  // eslint-disable-next-line no-var
  var __EMULATOR__: RunningEmulator | undefined;
}

/**
 * One emulator for the whole run, on a fresh data folder with the demo data, serving the product's
 * functions and the test fixtures (never deployed), configured as the product is (cloud.config.json). Tests
 * find it through EMULATOR_URL / EMULATOR_DATA / EMULATOR_CONFIG.
 */
export default async function globalSetup() {
  const work = mkdtempSync(join(tmpdir(), 'zhishi-test-'));
  // Built in place (git-ignored) like the product's functions, so `require('wx-server-sdk')` resolves.
  const fixtures = join(root, 'test/fixtures/cloudfunctions');
  await Promise.all(functionDirs(fixtures).map((dir) => buildFunction(dir)));
  // The product's console configuration; tests that route platform events elsewhere start an emulator of their own.
  process.env.EMULATOR_CONFIG = join(root, 'cloud.config.json');
  const emulator = await launchEmulator({
    dataDir: join(work, 'data'),
    functionsDirs: [join(root, 'cloudfunctions'), fixtures],
    // Timer triggers run only when a test fires them: a schedule must never fire in the middle of a run.
    env: { EMULATOR_TIMERS: 'off' },
  });
  globalThis.__EMULATOR__ = emulator;
  process.env.EMULATOR_URL = emulator.url;
  process.env.EMULATOR_DATA = emulator.dataDir;
  process.env.TEST_WORK_DIR = work;
}
