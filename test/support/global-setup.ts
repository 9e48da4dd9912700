import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
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
 * functions and the test fixtures (built here, never deployed). Tests find it through
 * EMULATOR_URL / EMULATOR_DATA.
 */
export default async function globalSetup() {
  const work = mkdtempSync(join(tmpdir(), 'zhishi-test-'));
  const fixtures = join(work, 'fixtures');
  for (const dir of functionDirs(join(root, 'test/fixtures/cloudfunctions'))) {
    const outDir = join(fixtures, dir.split('/').pop()!);
    mkdirSync(outDir, { recursive: true });
    await buildFunction(dir, { outDir });
  }
  const emulator = await launchEmulator({
    dataDir: join(work, 'data'),
    functionsDirs: [join(root, 'cloudfunctions'), fixtures],
  });
  globalThis.__EMULATOR__ = emulator;
  process.env.EMULATOR_URL = emulator.url;
  process.env.EMULATOR_DATA = emulator.dataDir;
  process.env.TEST_WORK_DIR = work;
  writeFileSync(join(work, 'emulator.url'), emulator.url);
}
