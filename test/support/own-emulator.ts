import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchEmulator, readSdkEnv, type RunningEmulator } from '../../emulator/src/launcher';

/**
 * An emulator of the calling test file's own, with the demo data on a fresh data folder, for tests that
 * change what the others share (the demo catalog, storage's clock, fault injection): started before the
 * file's tests, stopped and removed after them. Timers are off unless `env` turns them on.
 */
export function ownEmulator(name: string, env: Record<string, string> = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), `zhishi-${name}-`));
  let running: RunningEmulator | undefined;
  beforeAll(async () => {
    running = await launchEmulator({ dataDir, env: { EMULATOR_TIMERS: 'off', ...env } });
  });
  afterAll(async () => {
    await running?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });
  const emulator = () => {
    if (!running) throw new Error(`the ${name} emulator is not running: use it inside the tests`);
    return running;
  };
  return {
    emulator,
    /** POSTs JSON to the emulator (the gateway, a sandbox control...); answers its JSON, failing on any other status. */
    async post<T>(path: string, body: unknown): Promise<T> {
      const res = await fetch(`${emulator().url}${path}`, { method: 'POST', body: JSON.stringify(body) });
      if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
      return (await res.json()) as T;
    },
  };
}

/**
 * `ownEmulator`, and the shared helpers (support/sdk, support/commerce: the SDK, the gateway, the sandbox
 * controls) pointed at it for the calling file's tests, then back at the run's emulator: for a file that adds
 * to what every test sees (a published course, a live lesson about to start) and otherwise uses the helpers.
 */
export function ownEmulatorForFile(name: string, env: Record<string, string> = {}) {
  const own = ownEmulator(name, env);
  const shared = { url: process.env.EMULATOR_URL, data: process.env.EMULATOR_DATA };
  beforeAll(() => {
    process.env.EMULATOR_URL = own.emulator().url;
    process.env.EMULATOR_DATA = own.emulator().dataDir;
    Object.assign(process.env, own.emulator().sdkEnv);
  });
  afterAll(() => {
    process.env.EMULATOR_URL = shared.url;
    process.env.EMULATOR_DATA = shared.data;
    Object.assign(process.env, readSdkEnv(shared.data!));
  });
  return own;
}
