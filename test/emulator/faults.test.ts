import { createHmac, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { launchEmulator, readSdkEnv, type RunningEmulator } from '../../emulator/src/launcher';
import { connectSdk } from '../../emulator/src/sdk';
import { SUB_MCH_ID, unifiedOrderOf } from '../support/commerce';

/**
 * Fault injection: function instances killed before, between and after their DB requests (what the
 * instance wrote shows where it died), payment provider calls failing as WeChat's system error or as a
 * dropped connection, the settings from cloud.config.json, EMULATOR_FAULTS or the control endpoint, and
 * the counters. This file runs emulators of its own, with faults in their configuration.
 */
const base = JSON.parse(readFileSync(process.env.EMULATOR_CONFIG!, 'utf8')) as {
  virtualPaymentSandbox: { appKey: string; appSecret: string };
} & Record<string, unknown>;
const { appKey, appSecret } = base.virtualPaymentSandbox;
const appId = 'wx0000000000000000';
const fixtures = resolve(__dirname, '../fixtures/cloudfunctions');
const work = mkdtempSync(join(tmpdir(), 'zhishi-faults-'));
const WRITES = 5;
const SEED = 20240601;

let emulator: RunningEmulator;

/** `cloud.config.json` for an emulator of this file: the test run's, with `faults` when given. */
function configWith(name: string, faults?: unknown): string {
  const file = join(work, `${name}.json`);
  writeFileSync(file, JSON.stringify({ ...base, ...(faults === undefined ? {} : { faults }) }));
  return file;
}

const launch = (name: string, faults?: unknown, env: Record<string, string> = {}) =>
  launchEmulator({
    dataDir: join(work, name),
    functionsDirs: [fixtures],
    noDemo: true,
    env: { EMULATOR_CONFIG: configWith(name, faults), EMULATOR_TIMERS: 'off', ...env },
  });

beforeAll(async () => {
  emulator = await launch('main', { $comment: 'only the writer dies', killInvocations: 1, functions: ['fault-writer'], seed: SEED });
});

afterAll(async () => {
  await emulator?.stop();
  // connectSdk pointed this process's SDK at this file's emulator; point it back at the run's.
  Object.assign(process.env, readSdkEnv(process.env.EMULATOR_DATA!));
  rmSync(work, { recursive: true, force: true });
});

interface Settings {
  killInvocations: number;
  functions?: string[];
  providerFailures: number;
  providerTimeoutMs: number;
  seed?: number;
}
interface Counters {
  invocationsKilled: { total: number; byPoint: { before: number; between: number; after: number }; byFunction: Record<string, number> };
  providerFailures: { total: number; byKind: { systemError: number; timeout: number }; byApi: Record<string, number> };
  providerCalls: { total: number; byApi: Record<string, number> };
}
type FaultState = { settings: Settings; counters: Counters };

async function faults(method: 'GET' | 'PUT' = 'GET', body?: unknown, url = emulator.url): Promise<{ status: number; body: FaultState & { error?: string } }> {
  const res = await fetch(`${url}/__emulator/faults`, { method, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as FaultState & { error?: string } };
}
const setFaults = async (settings: unknown) => {
  const reply = await faults('PUT', settings);
  expect(reply.status).toBe(200);
  return reply.body;
};

async function control<T>(path: string, init?: RequestInit): Promise<T> {
  const res = await fetch(`${emulator.url}/__emulator${path}`, init);
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** `wx.cloud.callFunction` as a learner: the answer and the invocation's id. */
async function callAs(name: string, data: Record<string, unknown>, openid = 'o-faults') {
  const res = await fetch(`${emulator.url}/gateway/callFunction`, { method: 'POST', body: JSON.stringify({ name, openid, data }) });
  const body = (await res.json()) as { result?: unknown; errCode?: number; errMsg?: string };
  return { body, invocationId: res.headers.get('x-invocation-id')! };
}

interface InvocationRecord {
  status: string;
  error?: string;
  dbRequests: number;
}

/** How many documents of each run the writer left in `collection`. */
async function writtenBy(collection: string): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (let offset = 0; ; offset += 100) {
    const page = await control<{ total: number; documents: Array<{ run: string }> }>(`/collections/${collection}/documents?offset=${offset}&limit=100`);
    for (const doc of page.documents) counts.set(doc.run, (counts.get(doc.run) ?? 0) + 1);
    if (offset + 100 >= page.total) return counts;
  }
}

const newCollection = async () => {
  const name = `faults_${randomBytes(4).toString('hex')}`;
  await control('/collections', { method: 'POST', body: JSON.stringify({ name }) });
  return name;
};

describe('fault settings', () => {
  it('come from cloud.config.json, and EMULATOR_FAULTS wins over the file', async () => {
    expect((await faults()).body.settings).toEqual({ killInvocations: 1, functions: ['fault-writer'], providerFailures: 0, providerTimeoutMs: 2000, seed: SEED });
    const both = await launch('env-wins', { killInvocations: 0.5 }, { EMULATOR_FAULTS: '{"providerFailures": 0.25, "providerTimeoutMs": 100}' });
    try {
      expect((await faults('GET', undefined, both.url)).body.settings).toEqual({ killInvocations: 0, providerFailures: 0.25, providerTimeoutMs: 100 });
    } finally {
      await both.stop();
    }
  });

  it('stop the emulator from starting when invalid, naming the field', async () => {
    const [tooBig, misspelt, inFile] = await Promise.allSettled([
      launch('bad-share', undefined, { EMULATOR_FAULTS: '{"killInvocations": 1.5}' }),
      launch('bad-name', undefined, { EMULATOR_FAULTS: '{"providerFailure": 0.1}' }),
      launch('bad-file', { providerTimeoutMs: -5 }),
    ]);
    const reason = (r: PromiseSettledResult<RunningEmulator>) => (r.status === 'rejected' ? String(r.reason) : 'started');
    expect(reason(tooBig)).toMatch(/fault injection settings refused, EMULATOR_FAULTS: ✖ Too big: expected number to be <=1\s+→ at killInvocations/);
    expect(reason(misspelt)).toMatch(/EMULATOR_FAULTS: ✖ Unrecognized key: "providerFailure"/);
    expect(reason(inFile)).toMatch(/cloud.config.json faults: ✖ Too small: expected number to be >=0\s+→ at providerTimeoutMs/);
  });

  it('are replaced at run time by PUT /__emulator/faults, which refuses invalid ones with 400', async () => {
    const before = (await faults()).body.settings;
    const refused = await faults('PUT', { providerFailures: 2 });
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatch(/^faults: ✖ Too big: expected number to be <=1\s+→ at providerFailures$/);
    expect((await faults('PUT', { functions: 'fault-writer' })).body.error).toMatch(/expected array, received string\s+→ at functions/);
    expect((await faults()).body.settings).toEqual(before);
    const replaced = await setFaults({ providerFailures: 0.5, providerTimeoutMs: 50 });
    expect(replaced.settings).toEqual({ killInvocations: 0, providerFailures: 0.5, providerTimeoutMs: 50 });
    expect(replaced.counters).toEqual((await faults()).body.counters);
    await setFaults(before);
  });
});

describe('killed invocations', () => {
  it('die before running, after their k-th DB request (which is applied) or after returning, and the caller sees FUNCTIONS_EXECUTE_FAIL', async () => {
    const collection = await newCollection();
    const before = (await faults()).body.counters.invocationsKilled;
    // Each one is a cold start: a killed instance is replaced. SEED draws kill points 0,1,2,0,8,3,6,8,4.
    const runs = Array.from({ length: 9 }, (_v, i) => `run-${i}`);
    const calls = await Promise.all(runs.map((run) => callAs('fault-writer', { collection, run, count: WRITES })));
    const written = await writtenBy(collection);
    const seen = { before: 0, between: 0, after: 0, partial: 0 };
    for (const [i, call] of calls.entries()) {
      expect(call.body).toMatchObject({ errCode: -504002, errMsg: expect.stringContaining('functions execute fail. instance killed by fault injection') });
      const record = await control<InvocationRecord>(`/invocations/${call.invocationId}`);
      expect(record.status).toBe('killed');
      const left = written.get(runs[i]!) ?? 0;
      const between = /^instance killed by fault injection after (\d+) DB requests?$/.exec(record.error!);
      if (record.error === 'instance killed by fault injection before it ran') {
        seen.before++;
        expect([left, record.dbRequests]).toEqual([0, 0]);
      } else if (between) {
        seen.between++;
        // The request that killed the instance was applied: every request made is a document written.
        expect([left, record.dbRequests]).toEqual([Number(between[1]), Number(between[1])]);
        if (left < WRITES) seen.partial++;
      } else {
        expect(record.error).toBe('instance killed by fault injection after it returned, before its answer was sent');
        seen.after++;
        expect([left, record.dbRequests]).toEqual([WRITES, WRITES]);
      }
    }
    // Seeded: the same kill points every run, with each kind present.
    expect(seen.before).toBeGreaterThan(0);
    expect(seen.partial).toBeGreaterThan(0);
    expect(seen.after).toBeGreaterThan(0);
    const after = (await faults()).body.counters.invocationsKilled;
    expect(after.total - before.total).toBe(runs.length);
    expect(after.byPoint.before - before.byPoint.before).toBe(seen.before);
    expect(after.byPoint.between - before.byPoint.between).toBe(seen.between);
    expect(after.byPoint.after - before.byPoint.after).toBe(seen.after);
    expect((after.byFunction['fault-writer'] ?? 0) - (before.byFunction['fault-writer'] ?? 0)).toBe(runs.length);
  });

  it('spare the functions the filter leaves out, and stop with {}', async () => {
    for (let i = 0; i < 4; i++) expect((await callAs('echo', { i })).body.result).toMatchObject({ event: { i } });
    expect((await faults()).body.counters.invocationsKilled.byFunction.echo).toBeUndefined();

    const collection = await newCollection();
    const off = await setFaults({});
    expect(off.settings).toEqual({ killInvocations: 0, providerFailures: 0, providerTimeoutMs: 2000 });
    const ok = await callAs('fault-writer', { collection, run: 'calm', count: WRITES });
    expect(ok.body.result).toEqual({ written: WRITES });
    expect((await writtenBy(collection)).get('calm')).toBe(WRITES);

    await setFaults({ killInvocations: 1, functions: ['echo'] });
    expect((await callAs('echo', {})).body.errMsg).toMatch(/instance killed by fault injection/);
    expect((await callAs('fault-writer', { collection, run: 'spared', count: 1 })).body.result).toEqual({ written: 1 });
    await setFaults({});
  });

  it('reach a function caller through wx-server-sdk as a failed call, and a notification is retried', async () => {
    const cloud = connectSdk(emulator.sdkEnv);
    await setFaults({ killInvocations: 1, functions: ['echo'] });
    // The SDK keeps CloudBase's code; its errCode is -1, as for a function that throws.
    await expect(cloud.callFunction({ name: 'echo', data: {} })).rejects.toMatchObject({
      code: 'FUNCTIONS_EXECUTE_FAIL',
      errMsg: expect.stringMatching(/^callFunction:fail instance killed by fault injection (before it ran|after it returned)/),
    });

    // A payment callback whose instance dies is a failed delivery attempt, delivered again later.
    await control('/collections', { method: 'POST', body: JSON.stringify({ name: 'pay_fixture_log' }) });
    const outTradeNo = `F${Date.now()}${randomBytes(3).toString('hex')}`;
    const order = await callAs('pay-order', { api: 'unifiedOrder', data: unifiedOrderOf(outTradeNo) });
    expect(order.body.result).toMatchObject({ ok: true, result: { resultCode: 'SUCCESS' } });
    await setFaults({ killInvocations: 1, functions: ['pay-callback'] });
    await control(`/pay/trades/${outTradeNo}/pay`, { method: 'POST', body: '{}' });
    await setFaults({});
    const delivery = await waitForDelivery(outTradeNo);
    expect(delivery.status).toBe('delivered');
    expect(delivery.attempts[0]).toMatchObject({ outcome: 'failed', error: expect.stringContaining('instance killed by fault injection') });
    expect(delivery.attempts.at(-1)).toMatchObject({ outcome: 'acknowledged' });
  });
});

interface Delivery {
  key: string;
  status: string;
  attempts: Array<{ outcome: string; error?: string }>;
}
async function waitForDelivery(key: string): Promise<Delivery> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const { deliveries } = await control<{ deliveries: Delivery[] }>('/pay/ledger');
    const delivery = deliveries.find((d) => d.key === key)!;
    if (delivery.status !== 'pending' || Date.now() > deadline) return delivery;
    await new Promise((r) => setTimeout(r, 25));
  }
}

const hmac = (key: string, text: string) => createHmac('sha256', key).update(text).digest('hex');
const tokenOf = async () =>
  ((await (await fetch(`${emulator.url}/cgi-bin/stable_token`, { method: 'POST', body: JSON.stringify({ grant_type: 'client_credential', appid: appId, secret: appSecret }) })).json()) as { access_token: string })
    .access_token;

/** `xpay/query_order` as a product function calls it; `dropped` when the connection closed without an answer. */
async function queryXpay(token: string): Promise<{ answer?: Record<string, unknown>; dropped?: true; ms: number }> {
  const body = JSON.stringify({ openid: 'o-faults', env: 1, order_id: 'no-such-order' });
  const started = Date.now();
  try {
    const res = await fetch(`${emulator.url}/xpay/query_order?access_token=${token}&pay_sig=${hmac(appKey, `/xpay/query_order&${body}`)}`, { method: 'POST', body });
    return { answer: (await res.json()) as Record<string, unknown>, ms: Date.now() - started };
  } catch (e) {
    expect(String(e)).toMatch(/fetch failed/);
    return { dropped: true, ms: Date.now() - started };
  }
}

describe('provider failures', () => {
  const TIMEOUT_MS = 50;

  it("answer cloud pay's SYSTEMERROR, or drop the connection after providerTimeoutMs (the SDK's -501001)", async () => {
    await setFaults({ providerFailures: 1, providerTimeoutMs: TIMEOUT_MS, seed: SEED });
    const before = (await faults()).body.counters;
    const answers = [];
    for (let i = 0; i < 8; i++) {
      const started = Date.now();
      const { body } = await callAs('pay-order', { api: 'queryOrder', data: { subMchId: SUB_MCH_ID, nonceStr: 'n', outTradeNo: 'never-ordered' } });
      answers.push({ ...(body.result as { ok: boolean; result?: Record<string, unknown>; errCode?: number; errMsg?: string }), ms: Date.now() - started });
    }
    const systemErrors = answers.filter((a) => a.ok);
    const drops = answers.filter((a) => !a.ok);
    for (const a of systemErrors) expect(a.result).toMatchObject({ returnCode: 'SUCCESS', resultCode: 'FAIL', errCodeDes: '系统错误' });
    for (const a of drops) {
      // wx-server-sdk does not retry a reset connection: the function sees one -501001 "socket hang up".
      expect(a).toMatchObject({ errCode: -501001, errMsg: 'cloudPay.queryOrder:fail -501001 resource system error. socket hang up' });
      expect(a.ms).toBeGreaterThanOrEqual(TIMEOUT_MS);
    }
    expect(systemErrors.length).toBeGreaterThan(0);
    expect(drops.length).toBeGreaterThan(0);
    const after = (await faults()).body.counters;
    expect(after.providerFailures.byKind.systemError - before.providerFailures.byKind.systemError).toBe(systemErrors.length);
    expect(after.providerFailures.byKind.timeout - before.providerFailures.byKind.timeout).toBe(drops.length);
    expect(after.providerFailures.byApi['cloudPay.queryOrder']! - (before.providerFailures.byApi['cloudPay.queryOrder'] ?? 0)).toBe(8);
  });

  it('apply a timed-out operation or not, by a coin toss, and never a system error', async () => {
    await setFaults({ providerFailures: 1, providerTimeoutMs: TIMEOUT_MS, seed: SEED + 1 });
    const tried = [];
    for (let i = 0; i < 12; i++) {
      const outTradeNo = `C${i}${randomBytes(6).toString('hex')}`;
      const { body } = await callAs('pay-order', { api: 'unifiedOrder', data: unifiedOrderOf(outTradeNo) });
      tried.push({ outTradeNo, dropped: !(body.result as { ok: boolean }).ok });
    }
    await setFaults({});
    const { trades } = await control<{ trades: Array<{ outTradeNo: string }> }>('/pay/ledger');
    const registered = (no: string) => trades.some((t) => t.outTradeNo === no);
    for (const t of tried.filter((t) => !t.dropped)) expect(registered(t.outTradeNo)).toBe(false);
    const dropped = tried.filter((t) => t.dropped).map((t) => registered(t.outTradeNo));
    expect(dropped).toContain(true);
    expect(dropped).toContain(false);
  });

  it("answer WeChat's -1 system error on the HTTP server APIs, or drop the connection; the same seed fails the same calls", async () => {
    const token = await tokenOf();
    const outcomes = async () => {
      await setFaults({ providerFailures: 0.5, providerTimeoutMs: TIMEOUT_MS, seed: 7 });
      const seen: string[] = [];
      for (let i = 0; i < 12; i++) {
        const outcome = await queryXpay(token);
        if (outcome.dropped) {
          expect(outcome.ms).toBeGreaterThanOrEqual(TIMEOUT_MS);
          seen.push('dropped');
        } else if (outcome.answer!.errcode === -1) {
          expect(outcome.answer).toEqual({ errcode: -1, errmsg: 'system error' });
          seen.push('systemError');
        } else {
          expect(outcome.answer).toMatchObject({ errcode: 268490002, errmsg: '数据不存在' });
          seen.push('ok');
        }
      }
      return seen;
    };
    const first = await outcomes();
    expect(first).toEqual(expect.arrayContaining(['ok', 'systemError', 'dropped']));
    expect(await outcomes()).toEqual(first);
  });

  it('fail nothing at 0, leave the learner-side gateway alone, and count every provider call in /stats', async () => {
    await setFaults({ providerFailures: 1, providerTimeoutMs: TIMEOUT_MS });
    const calls = (await faults()).body.counters.providerCalls;
    // wx.login is the learner's side: never failed, never counted.
    const login = await fetch(`${emulator.url}/gateway/login`, { method: 'POST', body: JSON.stringify({ openid: 'o-faults' }) });
    expect(await login.json()).toMatchObject({ errMsg: 'login:ok' });
    expect((await faults()).body.counters.providerCalls).toEqual(calls);

    await setFaults({});
    const { code } = (await (await fetch(`${emulator.url}/gateway/login`, { method: 'POST', body: JSON.stringify({ openid: 'o-faults' }) })).json()) as { code: string };
    const session = await (await fetch(`${emulator.url}/sns/jscode2session?appid=${appId}&secret=${appSecret}&js_code=${code}&grant_type=authorization_code`)).json();
    expect(session).toMatchObject({ openid: 'o-faults' });
    const token = await tokenOf();
    for (let i = 0; i < 5; i++) expect((await queryXpay(token)).answer).toMatchObject({ errcode: 268490002 });
    const queried = await callAs('pay-order', { api: 'queryOrder', data: { subMchId: SUB_MCH_ID, nonceStr: 'n', outTradeNo: 'never-ordered' } });
    expect(queried.body.result).toMatchObject({ ok: true, result: { resultCode: 'FAIL', errCodeDes: '此交易订单号不存在' } });

    const { counters } = (await faults()).body;
    const byApi = (api: string) => (counters.providerCalls.byApi[api] ?? 0) - (calls.byApi[api] ?? 0);
    expect([byApi('sns/jscode2session'), byApi('cgi-bin/stable_token'), byApi('xpay/query_order'), byApi('cloudPay.queryOrder')]).toEqual([1, 1, 5, 1]);
    expect(counters.providerCalls.total - calls.total).toBe(8);
    expect(Object.values(counters.providerCalls.byApi).reduce((a, b) => a + b, 0)).toBe(counters.providerCalls.total);
    const stats = await control<{ providerCalls: Counters['providerCalls'] }>('/stats');
    expect(stats.providerCalls).toEqual(counters.providerCalls);
  });
});
