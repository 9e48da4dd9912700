/**
 * `npm run seed`: imports the demo school (documents and media) into a CloudBase environment through the
 * real @cloudbase/node-sdk (scripts/seed/demo-school.ts). The target:
 *   - the environment of `cloudbase.local.json` (git-ignored; see cloudbase.local.example.json; `--config`
 *     names another): `envId`, and a Tencent Cloud API key (`secretId`, `secretKey`) allowed to write its
 *     database and storage;
 *   - or a local emulator: `npm run seed -- --emulator .tcb-local` (its data folder: its `sdk.env` points the
 *     SDK at it, as TCB_CONTEXT_CNFG and TCB_ENV do for a function).
 * Running it again changes nothing. Prints what it did; never prints the key.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { readSdkEnv } from '../emulator/src/launcher';
import { seedDemoSchool, type SeedTarget } from './seed/demo-school';

const root = resolve(__dirname, '..');

interface LocalConfig {
  envId?: string;
  secretId?: string;
  secretKey?: string;
}

/** node-sdk, pointed at the emulator of `dataDir`, or at the environment of cloudbase.local.json. */
function target(emulatorDir: string | undefined, configFile: string): { app: SeedTarget; where: string } {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const tcb = require('@cloudbase/node-sdk') as { init(config: Record<string, unknown>): SeedTarget; SYMBOL_CURRENT_ENV: symbol };
  if (emulatorDir) {
    const env = readSdkEnv(resolve(emulatorDir));
    Object.assign(process.env, env);
    return { app: tcb.init({ env: tcb.SYMBOL_CURRENT_ENV }), where: `the emulator of ${emulatorDir} (${env.TCB_ENV})` };
  }
  if (!existsSync(configFile)) throw new Error(`no target: copy cloudbase.local.example.json to ${configFile} and fill it in, or pass --emulator <data folder>`);
  const config = JSON.parse(readFileSync(configFile, 'utf8')) as LocalConfig;
  const missing = (['envId', 'secretId', 'secretKey'] as const).filter((k) => !config[k]);
  if (missing.length) throw new Error(`${configFile} lacks ${missing.join(', ')}`);
  return { app: tcb.init({ env: config.envId, secretId: config.secretId, secretKey: config.secretKey }), where: `the environment ${config.envId}` };
}

async function main() {
  const { values } = parseArgs({ options: { emulator: { type: 'string' }, config: { type: 'string', default: resolve(root, 'cloudbase.local.json') } } });
  const { app, where } = target(values.emulator, resolve(values.config));
  console.log(`[seed] the demo school into ${where}`);
  const report = await seedDemoSchool(app, resolve(root, 'database/demo'), (line) => console.log(`[seed] ${line}`));
  const written = Object.values(report.documents).reduce((n, c) => n + c.written, 0);
  console.log(`[seed] done: ${report.media.uploaded} files uploaded, ${written} documents written${written + report.media.uploaded === 0 ? ' (nothing to change)' : ''}`);
}

main().catch((e: unknown) => {
  console.error(`[seed] ${(e as Error).message}`);
  process.exit(1);
});
