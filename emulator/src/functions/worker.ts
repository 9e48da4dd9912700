/**
 * One function instance. Like an SCF instance it serves one invocation at a time, so the caller's
 * identity can live in `process.env` (a worker thread has its own copy), which is where
 * `cloud.getWXContext()` reads it. Module state survives between warm invocations, as in the cloud.
 */
import { format } from 'node:util';
import { parentPort, workerData } from 'node:worker_threads';

export interface InvokeMessage {
  id: string;
  event: unknown;
  context: Record<string, unknown>;
  /** per-invocation variables: WX_* identity, TCB_CONTEXT_CNFG with the invocation id */
  env: Record<string, string>;
}

export type ResultMessage = { id: string; ok: true; result: string } | { id: string; ok: false; error: string };

export const LOG_LEVELS = ['log', 'info', 'warn', 'error', 'debug'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** One console call of the function, sent as it happens (so a timed-out invocation keeps its logs). */
export interface LogMessage {
  id: string;
  log: { level: LogLevel; message: string; at: number };
}

type Main = (event: unknown, context: unknown) => unknown;

let main: Main | undefined;
let perInvocationKeys: string[] = [];
/** the invocation being served: console output belongs to it */
let current = '';

// Console output goes to the invocation's record and, prefixed with the function's name, to the
// emulator's own stdout/stderr (a worker's streams are piped to the main thread's).
for (const level of LOG_LEVELS) {
  const echo = console[level].bind(console);
  const prefix = `[${workerData.name as string}] `;
  console[level] = (...args: unknown[]) => {
    const message = format(...args);
    echo(message.replace(/^/gm, prefix));
    const log: LogMessage = { id: current, log: { level, message, at: Date.now() } };
    parentPort!.postMessage(log);
  };
}

parentPort!.on('message', async (msg: InvokeMessage) => {
  current = msg.id;
  for (const key of perInvocationKeys) delete process.env[key];
  perInvocationKeys = Object.keys(msg.env);
  Object.assign(process.env, msg.env);
  let reply: ResultMessage;
  try {
    main ??= load();
    const result = await main(msg.event, msg.context);
    reply = { id: msg.id, ok: true, result: JSON.stringify(result === undefined ? null : result) };
  } catch (e) {
    reply = { id: msg.id, ok: false, error: e instanceof Error ? (e.stack ?? e.message) : String(e) };
  }
  parentPort!.postMessage(reply);
});

function load(): Main {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(workerData.bundle as string) as { main?: Main };
  if (typeof mod.main !== 'function') throw new Error(`${workerData.bundle as string} does not export main`);
  return mod.main;
}
