/**
 * The local CloudBase emulator as a command:
 *   node emulator/dist/main.js [--port 9911] [--data .tcb-local] [--host 127.0.0.1] [--reset]
 * (or EMULATOR_PORT / EMULATOR_DATA). Prints `ready <url>` once it accepts requests and writes the
 * variables that point wx-server-sdk at it to `<data>/sdk.env`.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { parseWebAuthConfig } from './auth/config';
import { devToolsConfig, gatewayAddress, writeDevToolsConfig } from './devtools-config';
import { FaultSettingsError } from './faults';
import { applySchema, loadDemoData, readSchema, uploadDemoMedia } from './seed';
import { startEmulator } from './server';

const root = resolve(__dirname, '../..');
const { values } = parseArgs({
  options: {
    port: { type: 'string', default: process.env.EMULATOR_PORT ?? '9911' },
    data: { type: 'string', default: process.env.EMULATOR_DATA ?? join(root, '.tcb-local') },
    host: { type: 'string', default: '127.0.0.1' },
    /** folders holding built functions, searched in order (comma-separated) */
    functions: { type: 'string', default: process.env.EMULATOR_FUNCTIONS ?? join(root, 'cloudfunctions') },
    /** what the product configures in the consoles (templates, message push routes, pay settings) */
    config: { type: 'string', default: process.env.EMULATOR_CONFIG ?? join(root, 'cloud.config.json') },
    'no-demo': { type: 'boolean', default: false },
    /** start again from the demo data: the data folder's database and storage are removed first */
    reset: { type: 'boolean', default: false },
  },
});

/** What the emulator writes in its data folder. */
const DATA_DIRS = ['db', 'storage'];
const DATA_FILES = ['sdk.env'];

/** Its message says what to do; a stack would not help. */
class ResetRefusedError extends Error {}

/**
 * Removes the database and storage of `dataDir`, refusing a folder that holds anything the emulator
 * does not write there: `--data` pointing at the wrong folder must not cost someone their files.
 */
function resetData(dataDir: string) {
  if (!existsSync(dataDir)) {
    console.log(`[emulator] --reset: ${dataDir} does not exist yet, nothing to remove`);
    return;
  }
  if (!statSync(dataDir).isDirectory()) throw new ResetRefusedError(`${dataDir} is not a folder`);
  const foreign = readdirSync(dataDir).filter((name) => {
    const entry = statSync(join(dataDir, name));
    return DATA_DIRS.includes(name) ? !entry.isDirectory() : !(DATA_FILES.includes(name) && entry.isFile());
  });
  if (foreign.length > 0) {
    throw new ResetRefusedError(
      `${dataDir} holds ${foreign.join(', ')}, which the emulator does not write (its data folder holds only ` +
        `${[...DATA_DIRS, ...DATA_FILES].join(', ')}); check --data / EMULATOR_DATA, nothing was removed`,
    );
  }
  for (const name of DATA_DIRS) rmSync(join(dataDir, name), { recursive: true, force: true });
  console.log(`[emulator] --reset: removed the database and storage in ${dataDir}`);
}

/**
 * What a Node process needs to run wx-server-sdk against the emulator as a cloud function would: the
 * SCF run environment (no metadata probe, and Node's unbounded HTTP agent rather than the SDK's
 * 100-socket keep-alive pool, which starves when many requests wait on transaction locks).
 */
function sdkEnv(url: string, envId: string): Record<string, string> {
  return {
    TCB_CONTEXT_CNFG: JSON.stringify({ URL: `${url}/admin` }),
    TENCENTCLOUD_SECRETID: 'emulator',
    TENCENTCLOUD_SECRETKEY: 'emulator',
    TENCENTCLOUD_RUNENV: 'SCF',
    TENCENTCLOUD_REGION: 'ap-shanghai',
    TCB_ENV: envId,
    SCF_NAMESPACE: envId,
    TCB_CONTEXT_KEYS: 'TCB_ENV,SCF_NAMESPACE',
  };
}

/** The console's sign-ins (webAuth of the config; their roles are the staff collection's). */
function demoAccounts(configFile: string) {
  const config = existsSync(configFile) ? (JSON.parse(readFileSync(configFile, 'utf8')) as { webAuth?: unknown }) : {};
  return parseWebAuthConfig(config.webAuth).users.map((u) => ({ username: u.username, password: u.password, name: u.name ?? '' }));
}

async function main() {
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be 0-65535, got ${values.port}`);
  const dataDir = resolve(values.data!);
  if (values.reset) resetData(dataDir);
  mkdirSync(join(dataDir, 'db'), { recursive: true });
  const envId = process.env.EMULATOR_ENV_ID ?? 'local-env';
  const emulator = await startEmulator({
    host: values.host!,
    port,
    dataDir,
    functionsDirs: values.functions!.split(',').map((d) => resolve(d)),
    workerScript: join(__dirname, 'worker.js'),
    envId,
    appId: process.env.EMULATOR_APP_ID ?? 'wx0000000000000000',
    maxInstancesPerFunction: Number(process.env.EMULATOR_MAX_INSTANCES ?? 16),
    configFile: resolve(values.config!),
    faults: process.env.EMULATOR_FAULTS,
    lockTimeoutMs: 5000,
    transactionIdleMs: 30_000,
  });
  const firstRun = emulator.store.isEmpty;
  const schema = readSchema(join(root, 'database/collections.json'));
  await applySchema(emulator.store, schema);
  for (const [name, spec] of Object.entries(schema.collections)) {
    if (spec.rules !== undefined) emulator.securityRules.set(name, spec.rules);
  }
  const env = sdkEnv(emulator.url, envId);
  if (firstRun && !values['no-demo']) {
    const counts = await loadDemoData(emulator.store, join(root, 'database/demo'));
    const media = await uploadDemoMedia(env, join(root, 'database/demo/media'));
    console.log(`[emulator] first run: loaded demo data ${JSON.stringify(counts)} and ${media} media files`);
  }
  writeFileSync(
    join(dataDir, 'sdk.env'),
    Object.entries(env)
      .map(([k, v]) => `${k}=${v}`)
      .join('\n') + '\n',
  );
  const accounts = demoAccounts(resolve(values.config!));
  const gateway = gatewayAddress(emulator.url, values.host!);
  const devtools = writeDevToolsConfig(join(root, 'miniprogram'), devToolsConfig(gateway, join(root, 'database/demo'), accounts));
  console.log(`ready ${emulator.url}`);
  console.log(
    [
      `  admin API (wx-server-sdk)   ${emulator.url}/admin`,
      `  inspection page             ${emulator.url}/__emulator/  (look here first)`,
      `  client gateway              POST ${emulator.url}/gateway/callFunction  {"name", "openid", "data"}`,
      `  client database             POST ${emulator.url}/gateway/database  {"openid", "action", "params"}`,
      `  creator console             ${emulator.url}/console/  (static hosting: npm run build builds it)`,
      ...accounts.map((u) => `    sign in as ${u.username.padEnd(10)} password ${u.password.padEnd(20)} ${u.name}`),
      ...(devtools ? [`  WeChat DevTools             ${devtools} points the mini program at ${gateway}${gateway === emulator.url ? ' (--host 0.0.0.0 for DevTools on another machine)' : ''}`] : []),
      `  web SDK (@cloudbase/js-sdk) app.registerHost('${new URL(emulator.url).host}', 'http'): /auth/v1/*, POST /v1/functions/{name}, /v1/storages/*`,
      `  control API                 ${emulator.url}/__emulator/{health,stats,collections,invocations/:id,faults}`,
      `  data                        ${dataDir}`,
      `  SDK environment             ${join(dataDir, 'sdk.env')}`,
      `  functions                   ${values.functions}`,
      '  Ctrl-C stops it.',
    ].join('\n'),
  );
  // Loud, so nobody mistakes injected failures for bugs.
  const { killInvocations, providerFailures, functions } = emulator.faults.settings();
  if (killInvocations > 0 || providerFailures > 0) {
    const only = functions ? ` of ${functions.join(', ')}` : '';
    console.log(`  FAULT INJECTION ON          killInvocations ${killInvocations}${only}, providerFailures ${providerFailures} (GET/PUT ${emulator.url}/__emulator/faults)`);
  }

  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    emulator.close().then(
      () => process.exit(0),
      (e: unknown) => {
        console.error(e);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((e: unknown) => {
  if (e instanceof ResetRefusedError) {
    console.error(`[emulator] --reset refused: ${e.message}`);
    process.exit(1);
  }
  // A settings mistake needs its message (which names the field), not a stack.
  if (e instanceof FaultSettingsError) {
    console.error(`[emulator] failed to start: fault injection settings refused, ${e.message}`);
    process.exit(1);
  }
  console.error(`[emulator] failed to start: ${(e as Error).stack ?? String(e)}`);
  process.exit(1);
});
