/**
 * One function instance. Like an SCF instance it serves one invocation at a time, so the caller's
 * identity can live in `process.env` (a worker thread has its own copy), which is where
 * `cloud.getWXContext()` reads it. Module state survives between warm invocations, as in the cloud.
 */
import { parentPort, workerData } from 'node:worker_threads';

export interface InvokeMessage {
  id: string;
  event: unknown;
  context: Record<string, unknown>;
  /** per-invocation variables: WX_* identity, TCB_CONTEXT_CNFG with the invocation id */
  env: Record<string, string>;
}

export type ResultMessage = { id: string; ok: true; result: string } | { id: string; ok: false; error: string };

type Main = (event: unknown, context: unknown) => unknown;

let main: Main | undefined;
let perInvocationKeys: string[] = [];

parentPort!.on('message', async (msg: InvokeMessage) => {
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
