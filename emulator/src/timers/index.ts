import type { ServerResponse } from 'node:http';
import * as z from 'zod/mini';
import type { EmulatorContext, Service } from '../service';
import { parseCron, type CronSchedule } from './cron';

/**
 * Timer triggers (定时触发器): each function's `config.json` `triggers` run on their cron schedule while
 * the emulator runs, with SCF's timer event `{Type: 'Timer', TriggerName, Time, Message}`. The clock
 * never keeps the process alive, and `EMULATOR_TIMERS=off` stops it (the test emulator does: tests fire
 * triggers on demand). Triggers are read at start: restart the emulator after changing one.
 *
 * Routes: `GET /__emulator/timers` (every trigger, its next and last run),
 * `POST /__emulator/timers/:function/:trigger/fire` (run one now; answers the run).
 */

/** Node's timers overflow past 2^31-1 ms (about 24.8 days): longer waits are taken in steps. */
const MAX_DELAY_MS = 2 ** 31 - 1;

const triggersSchema = z.array(
  z.object({
    name: z.string().check(z.regex(/^[A-Za-z][A-Za-z0-9_-]{0,59}$/, 'a name is 1-60 letters, digits, - or _, starting with a letter')),
    type: z.literal('timer', 'timer is the only trigger type'),
    config: z.string(),
  }),
);

interface Run {
  /** the scheduled time (or the time of an on-demand fire) */
  time: string;
  invocationId?: string;
  status: 'running' | 'ok' | 'error';
  result?: unknown;
  error?: string;
}

interface Trigger {
  functionName: string;
  name: string;
  config: string;
  schedule?: CronSchedule;
  /** why the trigger is invalid (CloudBase would refuse to deploy it) */
  error?: string;
  timer?: NodeJS.Timeout;
  runs: number;
  lastRun?: Run;
}

/** SCF's `Time`: ISO 8601 in UTC without milliseconds. */
const scfTime = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

function replyJson(res: ServerResponse, status: number, body: unknown) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function readTriggers(ctx: EmulatorContext): Trigger[] {
  const triggers: Trigger[] = [];
  for (const functionName of ctx.runtime.functionNames()) {
    let declared: unknown;
    try {
      declared = ctx.runtime.config(functionName).triggers;
    } catch {
      continue; // not a deployable function name
    }
    if (declared === undefined) continue;
    const parsed = triggersSchema.safeParse(declared);
    if (!parsed.success) {
      const error = `config.json triggers: ${z.prettifyError(parsed.error)}`;
      triggers.push({ functionName, name: '(invalid)', config: JSON.stringify(declared), error, runs: 0 });
      continue;
    }
    for (const { name, config } of parsed.data) {
      const trigger: Trigger = { functionName, name, config, runs: 0 };
      if (parsed.data.length > 1) trigger.error = 'CloudBase allows one trigger per function';
      else {
        try {
          trigger.schedule = parseCron(config);
        } catch (e) {
          trigger.error = (e as Error).message;
        }
      }
      triggers.push(trigger);
    }
  }
  return triggers;
}

export function createTimerService(ctx: EmulatorContext): Service {
  const clockOn = process.env.EMULATOR_TIMERS !== 'off';
  const triggers = readTriggers(ctx);
  for (const trigger of triggers) {
    if (trigger.error) console.error(`[emulator] timer trigger of ${trigger.functionName} ignored: ${trigger.error}`);
  }

  async function fire(trigger: Trigger, time: Date): Promise<Run> {
    const run: Run = { time: scfTime(time), status: 'running' };
    trigger.runs++;
    trigger.lastRun = run;
    try {
      const event = { Type: 'Timer', TriggerName: trigger.name, Time: run.time, Message: '' };
      const { record, done } = ctx.runtime.invoke(trigger.functionName, event);
      run.invocationId = record.id;
      run.result = JSON.parse(await done) as unknown;
      run.status = 'ok';
    } catch (e) {
      run.status = 'error';
      run.error = (e as Error).message;
    }
    return run;
  }

  function arm(trigger: Trigger, after: Date) {
    const at = trigger.schedule!.next(after);
    if (at) wait(trigger, at);
  }

  function wait(trigger: Trigger, at: Date) {
    const delay = Math.min(Math.max(at.getTime() - Date.now(), 0), MAX_DELAY_MS);
    trigger.timer = setTimeout(() => {
      if (Date.now() < at.getTime()) return wait(trigger, at);
      void fire(trigger, at).then((run) => {
        if (run.status === 'error') console.error(`[emulator] timer ${trigger.functionName}/${trigger.name} failed: ${run.error}`);
      });
      // After a late wake-up (a suspended machine), runs missed meanwhile are skipped, not replayed.
      arm(trigger, new Date(Math.max(at.getTime(), Date.now())));
    }, delay).unref();
  }

  if (clockOn) {
    const now = new Date();
    for (const trigger of triggers) if (trigger.schedule) arm(trigger, now);
  }

  return {
    routes: [
      {
        method: 'GET',
        path: /^\/__emulator\/timers$/,
        async handle(_request, res) {
          replyJson(res, 200, {
            clock: clockOn ? 'on' : 'off',
            timezone: 'UTC+8',
            triggers: triggers.map((t) => ({
              function: t.functionName,
              name: t.name,
              config: t.config,
              nextRun: t.schedule?.next(new Date())?.toISOString() ?? null,
              runs: t.runs,
              lastRun: t.lastRun,
              error: t.error,
            })),
          });
        },
      },
      {
        method: 'POST',
        path: /^\/__emulator\/timers\/([^/]+)\/([^/]+)\/fire$/,
        async handle({ match }, res) {
          const [, functionName, name] = match.map((part) => decodeURIComponent(part));
          const trigger = triggers.find((t) => t.functionName === functionName && t.name === name);
          if (!trigger) return replyJson(res, 404, { error: `no timer trigger ${name} on function ${functionName}` });
          if (trigger.error) return replyJson(res, 400, { error: trigger.error });
          replyJson(res, 200, await fire(trigger, new Date()));
        },
      },
    ],
    async close() {
      for (const trigger of triggers) clearTimeout(trigger.timer);
    },
  };
}
