import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { launchEmulator, type RunningEmulator } from '../../emulator/src/launcher';
import { parseCron } from '../../emulator/src/timers/cron';
import { control } from '../support/sdk';

/** Timer triggers: the cron schedules of config.json, SCF's timer event, on-demand and scheduled runs. */

const next = (expression: string, after: string) => parseCron(expression).next(new Date(after))?.toISOString() ?? null;
/** A Beijing wall-clock time as the UTC instant the schedule answers. */
const beijing = (local: string) => new Date(`${local}+08:00`).toISOString();

describe('cron expressions (7 fields, Beijing time)', () => {
  it('finds the next run strictly after the given time', () => {
    expect(next('0 30 2 * * * *', '2025-03-01T10:00:00+08:00')).toBe(beijing('2025-03-02T02:30:00'));
    expect(next('0 30 2 * * * *', '2025-03-02T02:30:00+08:00')).toBe(beijing('2025-03-03T02:30:00'));
    expect(next('0 30 2 * * * *', '2025-03-02T02:29:59.500+08:00')).toBe(beijing('2025-03-02T02:30:00'));
    expect(next('*/5 * * * * * *', '2025-03-01T10:00:03+08:00')).toBe(beijing('2025-03-01T10:00:05'));
    expect(next('0 0 0 1 1 * *', '2025-12-31T23:59:59+08:00')).toBe(beijing('2026-01-01T00:00:00'));
  });

  it('understands ranges, lists, steps and names', () => {
    expect(next('0 1/10 * * * * *', '2025-03-01T10:01:00+08:00')).toBe(beijing('2025-03-01T10:11:00'));
    expect(next('0 */30 9-17 * * * *', '2025-03-01T17:30:00+08:00')).toBe(beijing('2025-03-02T09:00:00'));
    expect(next('0 0 10,14,16 * * * *', '2025-03-01T10:00:00+08:00')).toBe(beijing('2025-03-01T14:00:00'));
    // 2025-03-01 is a Saturday.
    expect(next('0 15 10 * * MON-FRI *', '2025-03-01T08:00:00+08:00')).toBe(beijing('2025-03-03T10:15:00'));
    expect(next('0 0 12 * * 0 *', '2025-03-01T13:00:00+08:00')).toBe(beijing('2025-03-02T12:00:00'));
    expect(next('0 0 8 1 jan-mar,DEC * *', '2025-04-01T00:00:00+08:00')).toBe(beijing('2025-12-01T08:00:00'));
  });

  it('takes day and week as alternatives when both are given, and skips days a month lacks', () => {
    // The 1st, or any Wednesday: Tuesday 1 April, then Wednesday 2 April.
    expect(next('0 0 12 1 * WED *', '2025-03-27T00:00:00+08:00')).toBe(beijing('2025-04-01T12:00:00'));
    expect(next('0 0 12 1 * WED *', '2025-04-01T12:00:00+08:00')).toBe(beijing('2025-04-02T12:00:00'));
    expect(next('0 0 0 31 * * *', '2025-04-01T00:00:00+08:00')).toBe(beijing('2025-05-31T00:00:00'));
  });

  it('honours the year field and ends when no year is left', () => {
    expect(next('0 0 3 1 1 * 2030', '2025-06-01T00:00:00+08:00')).toBe(beijing('2030-01-01T03:00:00'));
    expect(next('0 0 3 1 1 * 2030', '2030-01-01T03:00:00+08:00')).toBeNull();
    expect(next('0 0 0 29 2 * 2025-2028', '2025-01-01T00:00:00+08:00')).toBe(beijing('2028-02-29T00:00:00'));
    expect(next('0 0 0 29 2 * 2025-2027', '2025-01-01T00:00:00+08:00')).toBeNull();
    expect(next('* * * * * * *', '2099-12-31T23:59:59+08:00')).toBeNull();
  });

  it('rejects what CloudBase would refuse, saying why', () => {
    expect(() => parseCron('0 0 2 * * *')).toThrow(/7 fields/);
    expect(() => parseCron('60 0 2 * * * *')).toThrow(/second: 60 is out of range 0-59/);
    expect(() => parseCron('0 0 2 * * 7 *')).toThrow(/week: 7 is out of range 0-6/);
    expect(() => parseCron('0 0 2 * * * 2100')).toThrow(/year: 2100 is out of range 1970-2099/);
    expect(() => parseCron('0 0 5-2 * * * *')).toThrow(/runs backwards/);
    expect(() => parseCron('*/0 * * * * * *')).toThrow(/positive integer/);
    expect(() => parseCron('0 0 2 * FOO * *')).toThrow(/month: "FOO"/);
  });
});

interface TriggerInfo {
  function: string;
  name: string;
  config: string;
  nextRun: string | null;
  runs: number;
  lastRun?: { time: string; invocationId: string; status: string; result: { event: Record<string, unknown> } };
}
interface Timers {
  clock: 'on' | 'off';
  timezone: string;
  triggers: TriggerInfo[];
}

describe('timer triggers', () => {
  it('lists each trigger with its next run; the test emulator\'s clock is off', async () => {
    const timers = await control<Timers>('GET', '/timers');
    expect(timers).toMatchObject({ clock: 'off', timezone: 'UTC+8' });
    const nightly = timers.triggers.find((t) => t.function === 'timer-nightly')!;
    expect(nightly).toMatchObject({ name: 'nightly', config: '0 30 2 * * * *' });
    expect(nightly.nextRun).toBe(parseCron('0 30 2 * * * *').next(new Date())!.toISOString());
  });

  it('fires a trigger on demand with SCF\'s timer event', async () => {
    const before = Date.now();
    const run = await control<NonNullable<TriggerInfo['lastRun']>>('POST', '/timers/timer-nightly/nightly/fire');
    expect(run).toMatchObject({ status: 'ok', invocationId: expect.any(String) });
    expect(run.result.event).toEqual({ Type: 'Timer', TriggerName: 'nightly', Time: run.time, Message: '' });
    expect(run.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(new Date(run.time).getTime()).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
    const nightly = (await control<Timers>('GET', '/timers')).triggers.find((t) => t.function === 'timer-nightly')!;
    expect(nightly.lastRun).toEqual(run);
    expect(await control('GET', `/invocations/${run.invocationId}`)).toMatchObject({ functionName: 'timer-nightly', status: 'ok' });
  });

  it('answers 404 for a trigger that does not exist', async () => {
    await expect(control('POST', '/timers/timer-nightly/hourly/fire')).rejects.toThrow(/404.*no timer trigger hourly on function timer-nightly/);
  });

  describe('with the clock on', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'zhishi-timers-'));
    let emulator: RunningEmulator | undefined;
    afterAll(async () => {
      await emulator?.stop();
      rmSync(dataDir, { recursive: true, force: true });
    });

    it('runs triggers on schedule', async () => {
      emulator = await launchEmulator({
        dataDir,
        noDemo: true,
        functionsDirs: [resolve(__dirname, '../fixtures/cloudfunctions')],
        env: { EMULATOR_TIMERS: 'on' },
      });
      const triggers = async () => ((await (await fetch(`${emulator!.url}/__emulator/timers`)).json()) as Timers).triggers;
      let tick: TriggerInfo | undefined;
      for (let waited = 0; waited < 5000 && !(tick && tick.runs >= 2 && tick.lastRun?.status === 'ok'); waited += 100) {
        await new Promise((r) => setTimeout(r, 100));
        tick = (await triggers()).find((t) => t.function === 'timer-every-second');
      }
      expect(tick!.runs).toBeGreaterThanOrEqual(2);
      expect(tick!.lastRun!.result.event).toMatchObject({ Type: 'Timer', TriggerName: 'tick', Time: tick!.lastRun!.time });
      expect(new Date(tick!.nextRun!).getTime()).toBeGreaterThan(new Date(tick!.lastRun!.time).getTime());
      expect((await triggers()).find((t) => t.function === 'timer-nightly')!.runs).toBe(0);
    });
  });
});
