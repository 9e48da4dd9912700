import { createHmac, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { launchEmulator, readSdkEnv, type RunningEmulator } from '../../emulator/src/launcher';
import { connectSdk } from '../../emulator/src/sdk';
import { database } from '../../server/database';
import { loadModule, newLearner } from '../support/miniprogram';
import { callAs } from '../support/sdk';
import { postJson } from '../support/wx/http';
import { nextPayment } from '../support/wx/pay';

/**
 * The virtual payment sandbox: the learner's `wx.requestVirtualPayment` (through the harness) is checked
 * like WeChat checks it, and a good one pushes `xpay_goods_deliver_notify` to the routed function; the
 * server APIs (`xpay/query_order`, `xpay/refund_order`) take an access_token from `cgi-bin/stable_token`
 * and a pay_sig; `wx.login` codes give the learner's session_key through `sns/jscode2session`.
 *
 * The product routes these pushes to its own xpayNotify, so this file runs an emulator of its own whose
 * configuration routes them to a test fixture (test/fixtures/cloudfunctions/pay-callback) instead.
 */
const base = JSON.parse(readFileSync(process.env.EMULATOR_CONFIG!, 'utf8')) as {
  virtualPayment: { offerId: string; env: 0 | 1 };
  virtualPaymentSandbox: { appKey: string; appSecret: string };
};
const { offerId, env } = base.virtualPayment;
const { appKey, appSecret } = base.virtualPaymentSandbox;
const LOG = 'pay_fixture_log';
const appId = 'wx00000000sandbox1';

const dataDir = mkdtempSync(join(tmpdir(), 'zhishi-xpay-'));
let sandbox: RunningEmulator;
let db: ReturnType<typeof database>;

beforeAll(async () => {
  const configFile = join(dataDir, 'cloud.config.json');
  writeFileSync(
    configFile,
    JSON.stringify({
      ...base,
      virtualPayment: { ...base.virtualPayment, functionsWithKeys: ['env-echo'] },
      messagePush: { xpay_goods_deliver_notify: 'pay-callback', xpay_refund_notify: 'pay-callback' },
    }),
  );
  sandbox = await launchEmulator({
    dataDir: join(dataDir, 'data'),
    functionsDirs: [resolve(__dirname, '../fixtures/cloudfunctions')],
    noDemo: true,
    env: { EMULATOR_CONFIG: configFile, EMULATOR_TIMERS: 'off', EMULATOR_APP_ID: appId },
  });
  db = database(connectSdk(sandbox.sdkEnv));
  await fetch(`${sandbox.url}/__emulator/collections`, { method: 'POST', body: JSON.stringify({ name: LOG }) });
});

afterAll(async () => {
  await sandbox?.stop();
  Object.assign(process.env, readSdkEnv(process.env.EMULATOR_DATA!));
  rmSync(dataDir, { recursive: true, force: true });
});

const hmac = (key: string, text: string) => createHmac('sha256', key).update(text).digest('hex');

async function post(path: string, body: unknown) {
  const res = await fetch(`${sandbox.url}${path}`, { method: 'POST', body: typeof body === 'string' ? body : JSON.stringify(body) });
  return (await res.json()) as Record<string, unknown>;
}
const get = async (path: string) => (await (await fetch(`${sandbox.url}${path}`)).json()) as Record<string, unknown>;

/** `wx.login` then `jscode2session`, as a function does: the learner's session_key. */
async function sessionKeyOf(openid: string): Promise<string> {
  const { code } = (await post('/gateway/login', { openid })) as { code: string };
  const answer = await get(`/sns/jscode2session?appid=${appId}&secret=${appSecret}&js_code=${code}&grant_type=authorization_code`);
  return answer.session_key as string;
}

const accessToken = async () => (await post('/cgi-bin/stable_token', { grant_type: 'client_credential', appid: appId, secret: appSecret })).access_token as string;

/** What the product's server answers for a purchase: signData and both signatures, as WeChat documents them. */
async function purchase(openid: string, change: Record<string, unknown> = {}) {
  const outTradeNo = `V${Date.now()}${randomBytes(4).toString('hex')}`;
  const signData = JSON.stringify({ offerId, buyQuantity: 1, env, currencyType: 'CNY', productId: 'course-ts-101-990', goodsPrice: 990, outTradeNo, attach: 'order:42', ...change });
  return {
    outTradeNo,
    call: { mode: 'short_series_goods', signData, paySig: hmac(appKey, `requestVirtualPayment&${signData}`), signature: hmac(await sessionKeyOf(openid), signData) },
  };
}

type Wx = { requestVirtualPayment(param: Record<string, unknown>): Promise<{ errMsg: string }> };
const wxOf = () => (globalThis as unknown as { wx: Wx }).wx;
/** The harness's mini program, as `openid`, paying in this file's emulator. */
const asLearner = (openid: string) => loadModule('services/cloud', { openid, gatewayUrl: sandbox.url });

async function received(key: string): Promise<Record<string, unknown>[]> {
  const { data } = await db.collection<{ key: string; event: Record<string, unknown>; at: number }>(LOG).where({ key }).orderBy('at', 'asc').get();
  return data.map((d) => d.event);
}

/** A server API (`/xpay/...`), signed as the server signs it. */
async function xpay(uri: string, body: Record<string, unknown>, options: { key?: string; token?: string | null } = {}) {
  const text = JSON.stringify(body);
  const token = options.token === undefined ? await accessToken() : options.token;
  const query = `${token === null ? '' : `access_token=${token}&`}pay_sig=${hmac(options.key ?? appKey, `${uri}&${text}`)}`;
  return (await post(`${uri}?${query}`, text)) as { errcode: number; errmsg: string; order?: Record<string, unknown> } & Record<string, unknown>;
}

async function paid(openid: string) {
  asLearner(openid);
  const bought = await purchase(openid);
  await wxOf().requestVirtualPayment(bought.call);
  return bought;
}

describe('wx.login, jscode2session and stable_token', () => {
  it('exchanges a wx.login code once for the learner and the session_key that signs their payments', async () => {
    const learner = newLearner();
    const { code } = (await post('/gateway/login', { openid: learner })) as { code: string };
    const exchange = (secret = appSecret) => get(`/sns/jscode2session?appid=${appId}&secret=${secret}&js_code=${code}&grant_type=authorization_code`);
    expect(await exchange('a-guessed-secret')).toMatchObject({ errcode: 40125 });
    const session = await exchange();
    expect(session).toEqual({ openid: learner, session_key: (await get(`/__emulator/xpay/session-key?openid=${learner}`)).sessionKey });
    expect(await exchange()).toMatchObject({ errcode: 40163 });
    expect(await get(`/sns/jscode2session?appid=${appId}&secret=${appSecret}&js_code=never-issued&grant_type=authorization_code`)).toMatchObject({ errcode: 40029 });
  });

  it('gives the same access_token until it expires, and only for the AppSecret', async () => {
    const first = await post('/cgi-bin/stable_token', { grant_type: 'client_credential', appid: appId, secret: appSecret });
    expect(first).toEqual({ access_token: expect.any(String), expires_in: expect.any(Number) });
    expect((await post('/cgi-bin/stable_token', { grant_type: 'client_credential', appid: appId, secret: appSecret })).access_token).toBe(first.access_token);
    expect(await post('/cgi-bin/stable_token', { grant_type: 'client_credential', appid: appId, secret: 'a-guessed-secret' })).toMatchObject({ errcode: 40125 });
  });

  it('answers wx.login through the harness with a code jscode2session accepts', async () => {
    const learner = newLearner();
    asLearner(learner);
    const { code } = (await (globalThis as unknown as { wx: { login(): Promise<{ code: string }> } }).wx.login()) as { code: string };
    expect(await get(`/sns/jscode2session?appid=${appId}&secret=${appSecret}&js_code=${code}&grant_type=authorization_code`)).toMatchObject({ openid: learner });
  });
});

describe('wx.requestVirtualPayment', () => {
  it("refuses a paySig not made with the AppKey, and a signature not made with the learner's session_key", async () => {
    const learner = newLearner();
    asLearner(learner);
    const { outTradeNo, call } = await purchase(learner);
    await expect(wxOf().requestVirtualPayment({ ...call, paySig: hmac('a-guessed-key', `requestVirtualPayment&${call.signData}`) })).rejects.toMatchObject({
      errCode: -15006,
    });
    const someoneElses = (await purchase(newLearner())).call.signature;
    await expect(wxOf().requestVirtualPayment({ ...call, signature: someoneElses })).rejects.toMatchObject({
      errCode: -15005,
      errMsg: 'requestVirtualPayment:fail SIGNATURE_INVALID',
    });
    expect(await received(outTradeNo)).toHaveLength(0);
    expect((await xpay('/xpay/query_order', { openid: learner, env, order_id: outTradeNo })).errcode).toBe(268490002);
  });

  it('refuses signData for another offerId or env, even when signed', async () => {
    const learner = newLearner();
    asLearner(learner);
    await expect(wxOf().requestVirtualPayment((await purchase(learner, { offerId: '1450999999' })).call)).rejects.toMatchObject({ errCode: -15001 });
    await expect(wxOf().requestVirtualPayment((await purchase(learner, { env: 1 - env })).call)).rejects.toMatchObject({ errCode: -15001 });
  });

  it('pays and pushes xpay_goods_deliver_notify to the routed function; query_order then shows it delivered', async () => {
    const learner = newLearner();
    asLearner(learner);
    const { outTradeNo, call } = await purchase(learner);
    await expect(wxOf().requestVirtualPayment(call)).resolves.toEqual({ errMsg: 'requestVirtualPayment:ok' });

    const [event] = await received(outTradeNo);
    expect(event).toMatchObject({
      MsgType: 'event',
      Event: 'xpay_goods_deliver_notify',
      OpenId: learner,
      OutTradeNo: outTradeNo,
      Env: env,
      WeChatPayInfo: { MchOrderNo: expect.any(String), TransactionId: expect.any(String), PaidTime: expect.any(Number) },
      GoodsInfo: { ProductId: 'course-ts-101-990', Quantity: 1, OrigPrice: 990, ActualPrice: 990, Attach: 'order:42' },
    });
    const { order } = await xpay('/xpay/query_order', { openid: learner, env, order_id: outTradeNo });
    const payInfo = event!.WeChatPayInfo as { MchOrderNo: string; TransactionId: string };
    // The push and the query name the payment alike, so a product can tell a replay from another payment.
    expect(order).toMatchObject({ order_id: outTradeNo, status: 4, paid_fee: 990, left_fee: 990, provide_time: expect.any(Number), wx_order_id: payInfo.MchOrderNo, wxpay_order_id: payInfo.TransactionId });
    await expect(wxOf().requestVirtualPayment(call)).rejects.toMatchObject({ errCode: -15001 });
  });

  it('retries the push until the function answers {ErrCode: 0}; a lost push leaves the order paid but not delivered', async () => {
    const learner = newLearner();
    asLearner(learner);
    const retried = await purchase(learner, { attach: 'fail:1' });
    await wxOf().requestVirtualPayment(retried.call);
    const query = async () => (await xpay('/xpay/query_order', { openid: learner, env, order_id: retried.outTradeNo })).order!;
    expect((await query()).status).toBe(2);
    for (let i = 0; i < 100 && (await query()).status !== 4; i++) await new Promise((r) => setTimeout(r, 25));
    expect((await query()).status).toBe(4);
    expect(await received(retried.outTradeNo)).toHaveLength(2);

    const lost = await purchase(learner);
    nextPayment({ deliver: false });
    await wxOf().requestVirtualPayment(lost.call);
    const { order } = await xpay('/xpay/query_order', { openid: learner, env, order_id: lost.outTradeNo });
    expect(order).toMatchObject({ status: 2, paid_fee: 990, provide_time: 0 });
    expect(await received(lost.outTradeNo)).toHaveLength(0);
  });
});

describe('the xpay server APIs', () => {
  it('refuse a call without a valid access_token, then a pay_sig not made with the AppKey', async () => {
    const body = { openid: 'o-x', env, order_id: 'V00000001' };
    expect(await xpay('/xpay/query_order', body, { token: null })).toMatchObject({ errcode: 41001 });
    expect(await xpay('/xpay/query_order', body, { token: 'a-guessed-token' })).toMatchObject({ errcode: 40001 });
    expect(await xpay('/xpay/query_order', body, { key: 'a-guessed-key' })).toMatchObject({ errcode: 268490003 });
  });

  it('refund_order: a refund of the amount left, the same refund again for the same number, then xpay_refund_notify once it completes', async () => {
    const learner = newLearner();
    const { outTradeNo } = await paid(learner);
    const refund = (change: Record<string, unknown> = {}) =>
      xpay('/xpay/refund_order', { openid: learner, order_id: outTradeNo, refund_order_id: 'R0000000001', left_fee: 990, refund_fee: 990, biz_meta: 'order:42-R1', refund_reason: '3', req_from: '2', env, ...change });
    expect(await refund({ left_fee: 500 })).toMatchObject({ errcode: 268490002 });
    expect(await refund({ refund_fee: 991 })).toMatchObject({ errcode: 268490002 });
    const started = await refund();
    expect(started).toMatchObject({ errcode: 0, refund_order_id: 'R0000000001', refund_wx_order_id: expect.any(String), pay_order_id: outTradeNo });
    expect(await refund()).toEqual(started);
    const query = async (orderId: string) => (await xpay('/xpay/query_order', { openid: learner, env, order_id: orderId })).order;
    expect(await query('R0000000001')).toMatchObject({ order_type: 1, status: 1, refund_fee: 990, biz_meta: 'order:42-R1' });
    expect(await query(outTradeNo)).toMatchObject({ status: 4, left_fee: 0 });

    expect(await post('/__emulator/xpay/refunds/R0000000001/complete', {})).toMatchObject({ refund: { status: 8 } });
    expect(await query('R0000000001')).toMatchObject({ status: 8, paid_time: expect.any(Number), wx_order_id: started.refund_wx_order_id });
    expect(await query(outTradeNo)).toMatchObject({ status: 5 });
    expect(await received('R0000000001')).toEqual([
      expect.objectContaining({ Event: 'xpay_refund_notify', MchRefundId: 'R0000000001', MchOrderId: outTradeNo, WxRefundId: started.refund_wx_order_id, RefundFee: 990, RetCode: 0, RefundSuccTimestamp: expect.any(Number) }),
    ]);
  });

  it('a refund that fails gives its amount back to left_fee and says so in xpay_refund_notify', async () => {
    const learner = newLearner();
    const { outTradeNo } = await paid(learner);
    await xpay('/xpay/refund_order', { openid: learner, order_id: outTradeNo, refund_order_id: 'R0000000002', left_fee: 990, refund_fee: 990, biz_meta: '', refund_reason: '5', req_from: '1', env });
    await post('/__emulator/xpay/refunds/R0000000002/complete', { fail: true });
    expect((await xpay('/xpay/query_order', { openid: learner, env, order_id: 'R0000000002' })).order).toMatchObject({ status: 7 });
    expect((await xpay('/xpay/query_order', { openid: learner, env, order_id: outTradeNo })).order).toMatchObject({ status: 4, left_fee: 990 });
    expect((await received('R0000000002'))[0]).toMatchObject({ RetCode: 1, MchOrderId: outTradeNo });
  });
});

describe('function environment variables', () => {
  it('gives the functions virtualPayment.functionsWithKeys names the sandbox credentials, and only those', async () => {
    const here = (await postJson<{ result: unknown }>(`${sandbox.url}/gateway/callFunction`, { name: 'env-echo', openid: 'o-x' })).body.result;
    expect(here).toEqual({ MP_APP_ID: appId, MP_APP_SECRET: appSecret, XPAY_APP_KEY: appKey, WECHAT_API_ORIGIN: sandbox.url });
    // The shared test emulator runs the product's configuration, which does not list env-echo.
    const elsewhere = (await callAs<Record<string, string | null>>('o-x', 'env-echo')).body.result;
    expect(elsewhere).toEqual({ MP_APP_ID: null, MP_APP_SECRET: null, XPAY_APP_KEY: null, WECHAT_API_ORIGIN: null });
  });
});
