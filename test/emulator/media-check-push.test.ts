import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { launchEmulator, readSdkEnv, type RunningEmulator } from '../../emulator/src/launcher';
import { connectSdk } from '../../emulator/src/sdk';

/**
 * `security.mediaCheckAsync` answers a trace id and pushes `wxa_media_check` later, as WeChat's message push
 * does. The product routes the push to its mediaCheckNotify (test/functions/homework.test.ts), so this file
 * runs an emulator of its own whose configuration routes it to a fixture that echoes what it received.
 */
const product = JSON.parse(readFileSync(process.env.EMULATOR_CONFIG!, 'utf8')) as Record<string, unknown>;
const dataDir = mkdtempSync(join(tmpdir(), 'zhishi-media-check-'));
let emulator: RunningEmulator;
let cloud: ReturnType<typeof connectSdk>;

beforeAll(async () => {
  const configFile = join(dataDir, 'cloud.config.json');
  writeFileSync(configFile, JSON.stringify({ ...product, messagePush: { wxa_media_check: 'openapi-media-check' } }));
  emulator = await launchEmulator({
    dataDir: join(dataDir, 'data'),
    functionsDirs: [resolve(__dirname, '../fixtures/cloudfunctions')],
    noDemo: true,
    env: { EMULATOR_CONFIG: configFile, EMULATOR_TIMERS: 'off' },
  });
  cloud = connectSdk(emulator.sdkEnv);
});

afterAll(async () => {
  await emulator?.stop();
  Object.assign(process.env, readSdkEnv(process.env.EMULATOR_DATA!));
  rmSync(dataDir, { recursive: true, force: true });
});

type Delivered = Array<{ traceId: string; delivery: { functionName: string; result: { received: Record<string, unknown> } } }>;
const flush = async (query = '') => (await (await fetch(`${emulator.url}/__emulator/openapi/media-checks/flush${query}`, { method: 'POST' })).json()) as Delivered;

async function mediaCheck(openid: string, mediaUrl: string): Promise<string> {
  const { result } = (await cloud.callFunction({
    name: 'openapi-caller',
    data: { api: 'security.mediaCheckAsync', data: { mediaUrl, mediaType: 2, version: 2, scene: 1, openid } },
  })) as unknown as { result: { ok: boolean; result: { errCode: number; traceId: string } } };
  expect(result).toMatchObject({ ok: true, result: { errCode: 0, traceId: expect.any(String) } });
  return result.result.traceId;
}

it('answers mediaCheckAsync with a trace id and pushes wxa_media_check to the routed function', async () => {
  const learner = `o-media-${randomBytes(6).toString('hex')}`;
  const traceId = await mediaCheck(learner, 'https://example.com/moderation-samples/risky/avatar.png');

  const mine = (await flush()).find((d) => d.traceId === traceId)!;
  expect(mine.delivery.functionName).toBe('openapi-media-check');
  expect(mine.delivery.result.received).toMatchObject({
    MsgType: 'event',
    Event: 'wxa_media_check',
    FromUserName: learner,
    trace_id: traceId,
    version: 2,
    errcode: 0,
    result: { suggest: 'risky', label: 20002 },
    detail: [expect.objectContaining({ strategy: 'content_model', suggest: 'risky', label: 20002 })],
  });
  // Delivered once: a second flush has nothing of it.
  expect((await flush()).map((d) => d.traceId)).not.toContain(traceId);
});

it('delivers only the checks of one learner when asked', async () => {
  const [me, other] = [`o-media-${randomBytes(6).toString('hex')}`, `o-media-${randomBytes(6).toString('hex')}`];
  const mine = await mediaCheck(me, 'https://example.com/a.png');
  const theirs = await mediaCheck(other, 'https://example.com/b.png');
  expect((await flush(`?openid=${me}`)).map((d) => d.traceId)).toEqual([mine]);
  expect((await flush()).map((d) => d.traceId)).toEqual([theirs]);
});

it('delivers again, 3 times, a verdict the function did not take', async () => {
  const learner = `o-media-refuse-${randomBytes(6).toString('hex')}`;
  const traceId = await mediaCheck(learner, 'https://example.com/c.png');
  for (let attempt = 1; attempt <= 4; attempt++) {
    const delivered = await flush(`?openid=${learner}`);
    expect([attempt, delivered.map((d) => d.traceId)]).toEqual([attempt, [traceId]]);
  }
  expect(await flush(`?openid=${learner}`)).toEqual([]);
});
