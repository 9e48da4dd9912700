import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export interface RunningEmulator {
  url: string;
  dataDir: string;
  /** the variables that point wx-server-sdk at this emulator (the content of `<data>/sdk.env`) */
  sdkEnv: Record<string, string>;
  process: ChildProcess;
  /** Ctrl-C: a clean shutdown */
  stop(): Promise<void>;
  /** kill -9: no chance to flush or close anything */
  kill(): Promise<void>;
}

export interface LaunchOptions {
  dataDir: string;
  port?: number;
  functionsDirs?: string[];
  noDemo?: boolean;
  /** `--reset`: start again from the demo data */
  reset?: boolean;
  env?: Record<string, string>;
}

const root = resolve(__dirname, '../..');

export function readSdkEnv(dataDir: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of readFileSync(join(dataDir, 'sdk.env'), 'utf8').split('\n')) {
    const i = line.indexOf('=');
    if (i > 0) env[line.slice(0, i)] = line.slice(i + 1);
  }
  return env;
}

/** Starts the built emulator (`emulator/dist/main.js`) as a child process and waits for `ready <url>`. */
export function launchEmulator(options: LaunchOptions): Promise<RunningEmulator> {
  const args = [join(root, 'emulator/dist/main.js'), '--port', String(options.port ?? 0), '--data', options.dataDir];
  if (options.functionsDirs) args.push('--functions', options.functionsDirs.join(','));
  if (options.noDemo) args.push('--no-demo');
  if (options.reset) args.push('--reset');
  const child = spawn(process.execPath, args, { env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  return new Promise((resolveReady, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const ready = /^ready (\S+)$/m.exec(output);
      if (!ready) return;
      child.stdout!.off('data', onData);
      // Keep draining the pipes so the child never blocks on a full buffer.
      child.stdout!.resume();
      resolveReady({
        url: ready[1],
        dataDir: options.dataDir,
        sdkEnv: readSdkEnv(options.dataDir),
        process: child,
        async stop() {
          child.kill('SIGINT');
          await exited;
        },
        async kill() {
          child.kill('SIGKILL');
          await exited;
        },
      });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (process.env.EMULATOR_VERBOSE) process.stderr.write(chunk);
    });
    child.once('exit', (code) => reject(new Error(`emulator exited with ${code} before it was ready:\n${output}`)));
  });
}
