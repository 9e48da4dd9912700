import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchEmulator, type RunningEmulator } from '../../emulator/src/launcher';
import { callAs, connectSdk, control, emulatorUrl, uniqueName } from '../support/sdk';

/** The function runtime: instances, identity, errors, timeouts, cold/warm starts, request attribution. */
const { callFunction } = connectSdk();

interface Echo {
  event: Record<string, unknown>;
  wxContext: Record<string, unknown>;
  requestId: string;
  invocations: number;
}

interface PoolStats {
  name: string;
  coldStarts: number;
  warmStarts: number;
  peakInstances: number;
  maxInstances: number;
}

const poolStats = async (name: string) =>
  (await control<{ functions: PoolStats[] }>('GET', '/stats')).functions.find((f) => f.name === name);

describe('function runtime', () => {
  it('gives each concurrent call its own caller identity from getWXContext()', async () => {
    const openids = Array.from({ length: 40 }, (_v, i) => `o-learner-${i}`);
    const replies = await Promise.all(openids.map((openid) => callAs<Echo>(openid, 'echo', { delayMs: 20, mine: openid })));
    replies.forEach((reply, i) => {
      expect(reply.body.result!.wxContext).toMatchObject({ OPENID: openids[i], SOURCE: 'wx_client', ENV: 'local-env' });
      expect(reply.body.result!.event).toMatchObject({ mine: openids[i], userInfo: { openId: openids[i] } });
      expect(reply.body.result!.requestId).toBe(reply.invocationId);
    });
    const stats = (await poolStats('echo'))!;
    expect(stats.peakInstances).toBeGreaterThan(1);
    expect(stats.peakInstances).toBeLessThanOrEqual(stats.maxInstances);
  });

  it('a call from another function or a script carries no learner identity', async () => {
    const { result } = await callFunction('echo', { from: 'script' });
    const echo = result as Echo;
    expect(echo.wxContext.OPENID).toBeUndefined();
    expect(echo.event).toEqual({ from: 'script' });
  });

  it('keeps module state in a warm instance and counts cold and warm starts', async () => {
    const first = await callAs<Echo>('o-warm', 'echo');
    const second = await callAs<Echo>('o-warm', 'echo');
    expect(second.coldStart).toBe(false);
    expect(second.body.result!.invocations).toBeGreaterThan(1);
    const stats = (await poolStats('echo'))!;
    expect(stats.coldStarts).toBeGreaterThanOrEqual(1);
    expect(stats.warmStarts).toBeGreaterThanOrEqual(first.coldStart ? 1 : 2);
  });

  it('a function that throws answers CloudBase\'s -504002 and its instance is replaced', async () => {
    const ok = await callAs<{ calls: number }>('o-x', 'broken');
    expect(ok.body.result!.calls).toBeGreaterThanOrEqual(1);
    const failed = await callAs('o-x', 'broken', { crash: true });
    expect(failed.body).toMatchObject({ errCode: -504002, errMsg: expect.stringContaining('broken on purpose') });
    // Through wx-server-sdk the same CloudBase answer becomes a rejected call carrying the function's error.
    await expect(callFunction('broken', { crash: true })).rejects.toThrow(/broken on purpose/);
    const fresh = await callAs<{ calls: number }>('o-x', 'broken');
    expect(fresh.coldStart).toBe(true);
    expect(fresh.body.result!.calls).toBe(1);
  });

  it('stops a function at the timeout from its config.json', async () => {
    const started = Date.now();
    const reply = await callAs('o-x', 'sleepy');
    const elapsed = Date.now() - started;
    expect(reply.body).toMatchObject({ errCode: -504002, errMsg: expect.stringContaining('timed out after 1 seconds') });
    expect(elapsed).toBeGreaterThanOrEqual(1000);
    expect(elapsed).toBeLessThan(4000);
    const record = await control<{ status: string }>('GET', `/invocations/${reply.invocationId}`);
    expect(record.status).toBe('timeout');
  });

  it('attributes each database request to the invocation that made it', async () => {
    const name = uniqueName('attr');
    await control('POST', '/collections', { name });
    const reading = await callAs('o-x', 'echo', { readCollection: name });
    const idle = await callAs('o-x', 'echo');
    expect(reading.dbRequests).toBe(1);
    expect(idle.dbRequests).toBe(0);
    expect(await control('GET', `/invocations/${reading.invocationId}`)).toMatchObject({ functionName: 'echo', dbRequests: 1, status: 'ok' });
  });

  it('queues calls beyond the instance limit instead of failing them', async () => {
    const replies = await Promise.all(Array.from({ length: 100 }, (_v, i) => callAs<Echo>(`o-q${i}`, 'echo', { delayMs: 10 })));
    expect(replies.filter((r) => r.body.result).length).toBe(100);
    expect((await poolStats('echo'))!.peakInstances).toBeLessThanOrEqual((await poolStats('echo'))!.maxInstances);
  });

  it('answers an unknown function and a bad gateway request with clear errors', async () => {
    const unknown = await callAs('o-x', 'no-such-function');
    expect(unknown.body.errMsg).toMatch(/FunctionName parameter could not be found: function no-such-function does not exist$/);
    const noOpenid = await fetch(`${emulatorUrl()}/gateway/callFunction`, { method: 'POST', body: JSON.stringify({ name: 'echo' }) });
    expect(noOpenid.status).toBe(400);
    expect(await noOpenid.json()).toEqual({ error: 'openid (the learner calling) is required' });
    const notJson = await fetch(`${emulatorUrl()}/gateway/callFunction`, { method: 'POST', body: '{' });
    expect(notJson.status).toBe(400);
  });
});

describe('a function folder without a build', () => {
  const work = mkdtempSync(join(tmpdir(), 'zhishi-functions-'));
  const functionsDir = join(work, 'functions');
  let emulator: RunningEmulator | undefined;

  afterAll(async () => {
    await emulator?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it('says the function is not built and to build it, without paths of the machine; a missing one does not exist', async () => {
    mkdirSync(join(functionsDir, 'unbuilt'), { recursive: true });
    writeFileSync(join(functionsDir, 'unbuilt/index.ts'), 'export const main = async () => ({});\n');
    emulator = await launchEmulator({ dataDir: join(work, 'data'), functionsDirs: [functionsDir], noDemo: true });
    const call = async (name: string) => {
      const res = await fetch(`${emulator!.url}/gateway/callFunction`, { method: 'POST', body: JSON.stringify({ name, openid: 'o-x' }) });
      return ((await res.json()) as { errMsg: string }).errMsg;
    };
    const unbuilt = await call('unbuilt');
    expect(unbuilt).toMatch(/FunctionName parameter could not be found: function unbuilt is not built \(index.ts without index.js\); run npm run build$/);
    expect(unbuilt).not.toContain(work);
    expect(await call('elsewhere')).toMatch(/FunctionName parameter could not be found: function elsewhere does not exist$/);
  });
});
