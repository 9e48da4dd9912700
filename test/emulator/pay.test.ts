import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { launchEmulator, readSdkEnv, type RunningEmulator } from '../../emulator/src/launcher';
import { loadModule, newLearner } from '../support/miniprogram';
import { callAs, connectSdk, control, emulatorUrl, waitFor } from '../support/sdk';
import { SUB_MCH_ID, unifiedOrderOf } from '../support/commerce';
import { nextPayment } from '../support/wx/pay';

/**
 * The cloud pay sandbox through the real wx-server-sdk: `cloud.cloudPay.*` from a script or from an
 * ordering function (test/fixtures/cloudfunctions/pay-order), the learner paying through the sandbox
 * controls or `wx.requestPayment`, and the callback function (pay-callback) notified as WeChat would.
 */
const { cloud, database } = connectSdk();
type Answer = Record<string, unknown> & { returnCode?: string; resultCode?: string; errCodeDes?: string; returnMsg?: string };
// wx-server-sdk's typings leave cloudPay out.
const cloudPay = (cloud as unknown as { cloudPay: Record<string, (data: Record<string, unknown>) => Promise<Answer>> }).cloudPay;

const LOG = 'pay_fixture_log';

const nonce = () => randomBytes(16).toString('hex');
const newTradeNo = () => `T${Date.now()}${randomBytes(4).toString('hex')}`;

/** cloudPay.unifiedOrder from the ordering function, called by the learner `openid`. */
async function orderAs(openid: string, outTradeNo: string, extra: Record<string, unknown> = {}) {
  const reply = await callAs<{ ok: boolean; result: Answer }>(openid, 'pay-order', { api: 'unifiedOrder', data: unifiedOrderOf(outTradeNo, extra) });
  return reply.body.result!.result;
}

const query = (outTradeNo: string) => cloudPay.queryOrder!({ subMchId: SUB_MCH_ID, nonceStr: nonce(), outTradeNo });

async function sandbox(path: string, body: unknown = {}) {
  const res = await fetch(`${emulatorUrl()}/__emulator/pay${path}`, { method: 'POST', body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

interface Attempt {
  outcome: string;
}
interface Delivery {
  id: string;
  kind: string;
  key: string;
  status: string;
  attempts: Attempt[];
}
const deliveriesOf = async (key: string) =>
  (await control<{ deliveries: Delivery[] }>('GET', '/pay/ledger')).deliveries.filter((d) => d.key === key);

/** What the callback function received for an order or refund, oldest first. */
async function received(key: string): Promise<Record<string, unknown>[]> {
  const { data } = await database().collection(LOG).where({ key }).orderBy('at', 'asc').get();
  return data.map((d) => d.event as Record<string, unknown>);
}


beforeAll(async () => {
  await control('POST', '/collections', { name: LOG });
});

describe('cloudPay.unifiedOrder', () => {
  it('answers the payment for wx.requestPayment, with the calling learner as the payer', async () => {
    const learner = newLearner();
    const outTradeNo = newTradeNo();
    const answer = await orderAs(learner, outTradeNo, { attach: 'course:ts-101' });
    expect(answer).toMatchObject({ returnCode: 'SUCCESS', resultCode: 'SUCCESS', subMchId: SUB_MCH_ID, tradeType: 'JSAPI', errMsg: 'cloudPay.unifiedOrder:ok' });
    expect(answer.payment).toEqual({
      appId: expect.stringMatching(/^wx/),
      timeStamp: expect.stringMatching(/^\d{10}$/),
      nonceStr: expect.any(String),
      package: `prepay_id=${String(answer.prepayId)}`,
      signType: 'MD5',
      paySign: expect.stringMatching(/^[0-9A-F]{32}$/),
    });
    expect(await query(outTradeNo)).toMatchObject({ resultCode: 'SUCCESS', tradeState: 'NOTPAY', tradeStateDesc: '订单未支付', attach: 'course:ts-101' });
  });

  it.each([
    ['no body', { body: undefined }, '缺少参数body'],
    ['no spbillCreateIp', { spbillCreateIp: undefined }, '缺少参数spbill_create_ip'],
    ['outTradeNo with other characters', { outTradeNo: '订单#1' }, /out_trade_no/],
    ['outTradeNo over 32 characters', { outTradeNo: 'A'.repeat(33) }, /out_trade_no/],
    ['body over 128 characters', { body: '课'.repeat(129) }, /body/],
    ['nonceStr over 32 characters', { nonceStr: 'n'.repeat(33) }, /nonce_str/],
    ['attach over 127 characters', { attach: 'a'.repeat(128) }, /attach/],
    ['totalFee in yuan', { totalFee: 9.9 }, /total_fee必须为大于0的整数/],
    ['totalFee of 0', { totalFee: 0 }, /total_fee必须为大于0的整数/],
  ])('refuses an order with %s', async (_case, change, description) => {
    const data = { ...unifiedOrderOf(newTradeNo(), { subOpenid: 'o-buyer' }), ...change };
    const answer = await cloudPay.unifiedOrder!(data);
    expect(answer).toMatchObject({ returnCode: 'SUCCESS', resultCode: 'FAIL', errCodeDes: description });
    // wx-server-sdk overwrites WeChat's err_code with its own errCode 0: only errCodeDes tells the cause.
    expect(answer.errCode).toBe(0);
  });

  it('refuses a sub-merchant not bound to the environment, and a callback function that does not exist', async () => {
    expect(await cloudPay.unifiedOrder!(unifiedOrderOf(newTradeNo(), { subOpenid: 'o-buyer', subMchId: '1234567890' }))).toMatchObject({
      returnCode: 'FAIL',
      returnMsg: '受理关系不存在',
    });
    expect(await cloudPay.unifiedOrder!(unifiedOrderOf(newTradeNo(), { subOpenid: 'o-buyer', functionName: 'no-such-callback' }))).toMatchObject({
      returnCode: 'FAIL',
      returnMsg: expect.stringContaining('no-such-callback'),
    });
  });

  it('is refused to a function whose config.json does not list it, as in the cloud', async () => {
    const outTradeNo = `T${nonce().slice(0, 20)}`;
    const reply = await callAs<{ ok: boolean; errCode?: number; errMsg?: string }>('o-unlisted', 'pay-order-unlisted', { api: 'unifiedOrder', data: unifiedOrderOf(outTradeNo) });
    expect(reply.body.result).toMatchObject({ ok: false, errCode: -501001, errMsg: expect.stringContaining('-604101') });
    expect(reply.body.result!.errMsg).toContain('cloudPay.unifiedOrder is not in permissions.openapi');
    expect((await query(outTradeNo)).tradeState).toBeUndefined();
  });

  it('answers the same prepay_id when the same order is placed again, and refuses it with another amount', async () => {
    const learner = newLearner();
    const outTradeNo = newTradeNo();
    const first = await orderAs(learner, outTradeNo);
    expect((await orderAs(learner, outTradeNo)).prepayId).toBe(first.prepayId);
    expect(await orderAs(learner, outTradeNo, { totalFee: 1 })).toMatchObject({ resultCode: 'FAIL', errCodeDes: '201 商户订单号重复' });
  });
});

describe('the learner pays: the callback', () => {
  it('delivers WeChat\'s notification to the callback function before the payment answers', async () => {
    const learner = newLearner();
    const outTradeNo = newTradeNo();
    await orderAs(learner, outTradeNo, { attach: 'course:ts-101' });
    const paid = await sandbox(`/trades/${outTradeNo}/pay`);
    expect(paid.status).toBe(200);

    const events = await received(outTradeNo);
    expect(events).toHaveLength(1);
    expect(events[0]).toEqual({
      returnCode: 'SUCCESS',
      resultCode: 'SUCCESS',
      appid: expect.stringMatching(/^wx/),
      mchId: expect.any(String),
      subAppid: expect.stringMatching(/^wx/),
      subMchId: SUB_MCH_ID,
      nonceStr: expect.any(String),
      openid: expect.not.stringMatching(learner),
      isSubscribe: 'N',
      subOpenid: learner,
      subIsSubscribe: 'N',
      tradeType: 'JSAPI',
      bankType: 'OTHERS',
      totalFee: 990,
      feeType: 'CNY',
      cashFee: 990,
      transactionId: expect.stringMatching(/^\d{28}$/),
      outTradeNo,
      timeEnd: expect.stringMatching(/^20\d{12}$/),
      attach: 'course:ts-101',
    });
    expect(await query(outTradeNo)).toMatchObject({
      tradeState: 'SUCCESS',
      transactionId: events[0]!.transactionId,
      timeEnd: events[0]!.timeEnd,
      subOpenid: learner,
      cashFee: 990,
    });
    expect(await deliveriesOf(outTradeNo)).toMatchObject([{ kind: 'payment', status: 'delivered', attempts: [{ outcome: 'acknowledged' }] }]);
    expect(await sandbox(`/trades/${outTradeNo}/pay`)).toEqual({ status: 409, body: { error: `trade ${outTradeNo} is already paid` } });
  });

  it('delivers duplicates when asked: the same notification n+1 times', async () => {
    const outTradeNo = newTradeNo();
    await orderAs(newLearner(), outTradeNo);
    await sandbox(`/trades/${outTradeNo}/pay`, { duplicates: 2 });
    const events = await waitFor(() => received(outTradeNo), (e) => e.length === 3);
    expect(events).toHaveLength(3);
    expect(new Set(events.map((e) => e.transactionId)).size).toBe(1);
  });

  it('delivers duplicates of a wx.requestPayment when its sandbox options ask (as npm run load pays)', async () => {
    const learner = newLearner();
    const outTradeNo = newTradeNo();
    const { payment } = await orderAs(learner, outTradeNo);
    const res = await fetch(`${emulatorUrl()}/gateway/requestPayment`, {
      method: 'POST',
      body: JSON.stringify({ openid: learner, payment, sandbox: { duplicates: 1 } }),
    });
    expect(await res.json()).toEqual({ errMsg: 'requestPayment:ok' });
    const deliveries = await waitFor(() => deliveriesOf(outTradeNo), (ds) => ds.length === 2 && ds.every((d) => d.status === 'delivered'));
    expect(deliveries).toMatchObject([{ status: 'delivered' }, { status: 'delivered' }]);
    const events = await received(outTradeNo);
    expect(events).toHaveLength(2);
    expect(new Set(events.map((e) => e.transactionId)).size).toBe(1);
  });

  it('delivers late when asked: the order is paid before its callback arrives', async () => {
    const outTradeNo = newTradeNo();
    await orderAs(newLearner(), outTradeNo);
    const started = Date.now();
    await sandbox(`/trades/${outTradeNo}/pay`, { delayMs: 400 });
    expect(await received(outTradeNo)).toHaveLength(0);
    expect((await query(outTradeNo)).tradeState).toBe('SUCCESS');
    expect(await waitFor(() => received(outTradeNo), (e) => e.length === 1)).toHaveLength(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(400);
  });

  it('loses the callback when asked: only queryOrder shows the payment', async () => {
    const outTradeNo = newTradeNo();
    await orderAs(newLearner(), outTradeNo);
    await sandbox(`/trades/${outTradeNo}/pay`, { deliver: false });
    expect((await query(outTradeNo)).tradeState).toBe('SUCCESS');
    await new Promise((r) => setTimeout(r, 200));
    expect(await received(outTradeNo)).toHaveLength(0);
    expect(await deliveriesOf(outTradeNo)).toMatchObject([{ status: 'dropped', attempts: [] }]);
  });

  it('retries a callback until the function answers {errcode: 0}', async () => {
    const outTradeNo = newTradeNo();
    await orderAs(newLearner(), outTradeNo, { attach: 'fail:2' });
    await sandbox(`/trades/${outTradeNo}/pay`);
    const [delivery] = await waitFor(() => deliveriesOf(outTradeNo), ([d]) => d!.status !== 'pending');
    expect(delivery!.status).toBe('delivered');
    expect(delivery!.attempts.map((a) => a.outcome)).toEqual(['refused', 'refused', 'acknowledged']);
    expect(await received(outTradeNo)).toHaveLength(3);
  });

  it('gives up after the last retry and records the failure', async () => {
    const outTradeNo = newTradeNo();
    await orderAs(newLearner(), outTradeNo, { attach: 'fail:99' });
    await sandbox(`/trades/${outTradeNo}/pay`);
    const [delivery] = await waitFor(() => deliveriesOf(outTradeNo), ([d]) => d!.status !== 'pending');
    // cloud.config.json: four retries after the first attempt.
    expect(delivery).toMatchObject({ status: 'failed', attempts: Array(5).fill({ outcome: 'refused' }) });
    expect((await query(outTradeNo)).tradeState).toBe('SUCCESS');
  });
});

describe('closeOrder', () => {
  it('closes an unpaid order; a payment racing the close still goes through with force', async () => {
    const outTradeNo = newTradeNo();
    await orderAs(newLearner(), outTradeNo);
    const close = () => cloudPay.closeOrder!({ subMchId: SUB_MCH_ID, nonceStr: nonce(), outTradeNo });
    expect(await close()).toMatchObject({ returnCode: 'SUCCESS', resultCode: 'SUCCESS' });
    expect(await query(outTradeNo)).toMatchObject({ tradeState: 'CLOSED', tradeStateDesc: '订单已关闭' });
    expect(await close()).toMatchObject({ resultCode: 'FAIL', errCodeDes: '订单已关闭，无法重复关闭' });
    expect(await orderAs(newLearner(), outTradeNo)).toMatchObject({ resultCode: 'FAIL', errCodeDes: '该订单已关闭' });
    expect(await sandbox(`/trades/${outTradeNo}/pay`)).toEqual({ status: 409, body: { error: `trade ${outTradeNo} is closed (with {"force": true} it is paid anyway)` } });

    await sandbox(`/trades/${outTradeNo}/pay`, { force: true });
    expect(await received(outTradeNo)).toHaveLength(1);
    expect((await query(outTradeNo)).tradeState).toBe('SUCCESS');
    expect(await close()).toMatchObject({ resultCode: 'FAIL', errCodeDes: '订单已支付，不能发起关单' });
  });

  it('answers ORDERNOTEXIST for an order it never saw', async () => {
    expect(await query(newTradeNo())).toMatchObject({ returnCode: 'SUCCESS', resultCode: 'FAIL', errCodeDes: '此交易订单号不存在' });
  });
});

describe('refunds', () => {
  it('refunds part of a paid order, and notifies the refund callback when the refund completes', async () => {
    const outTradeNo = newTradeNo();
    await orderAs(newLearner(), outTradeNo);
    const refundOf = (outRefundNo: string, refundFee: number) =>
      cloudPay.refund!({ subMchId: SUB_MCH_ID, nonceStr: nonce(), outTradeNo, outRefundNo, totalFee: 990, refundFee, functionName: 'pay-callback', envId: 'local-env' });
    expect(await refundOf(`R${outTradeNo}`, 300)).toMatchObject({ resultCode: 'FAIL', errCodeDes: '订单未支付，不能退款' });
    await sandbox(`/trades/${outTradeNo}/pay`);

    const outRefundNo = `R${outTradeNo}`;
    const refund = await refundOf(outRefundNo, 300);
    expect(refund).toMatchObject({ returnCode: 'SUCCESS', resultCode: 'SUCCESS', outRefundNo, refundFee: 300, totalFee: 990, refundId: expect.any(String) });
    expect((await refundOf(outRefundNo, 300)).refundId).toBe(refund.refundId);
    expect(await refundOf(`${outRefundNo}b`, 700)).toMatchObject({ resultCode: 'FAIL', errCodeDes: '申请退款金额超过订单可退金额' });
    expect((await query(outTradeNo)).tradeState).toBe('REFUND');
    const queryRefund = () => cloudPay.queryRefund!({ subMchId: SUB_MCH_ID, nonceStr: nonce(), outRefundNo });
    expect(await queryRefund()).toMatchObject({ resultCode: 'SUCCESS', refundCount: 1, refundStatus_0: 'PROCESSING', refundFee_0: 300 });
    expect(await received(outRefundNo)).toHaveLength(0);

    expect((await sandbox(`/refunds/${outRefundNo}/complete`)).status).toBe(200);
    const [event] = await received(outRefundNo);
    expect(event).toMatchObject({
      returnCode: 'SUCCESS',
      subMchId: SUB_MCH_ID,
      outTradeNo,
      outRefundNo,
      refundId: refund.refundId,
      totalFee: 990,
      refundFee: 300,
      settlementRefundFee: 300,
      refundStatus: 'SUCCESS',
      successTime: expect.stringMatching(/^20\d\d-\d\d-\d\d \d\d:\d\d:\d\d$/),
      refundRecvAccout: '支付用户零钱',
    });
    expect(event).not.toHaveProperty('attach');
    expect(await queryRefund()).toMatchObject({ refundStatus_0: 'SUCCESS', refundStatusList: ['SUCCESS'], refundSuccessTime_0: event!.successTime });
    expect((await sandbox(`/refunds/${outRefundNo}/complete`)).status).toBe(409);
  });
});

describe('wx.requestPayment in the mini-program harness', () => {
  type WxPay = {
    cloud: { callFunction(param: { name: string; data: unknown }): Promise<{ result: { result: Answer } }> };
    requestPayment(payment: unknown): Promise<{ errMsg: string }>;
  };
  const wxOf = () => (globalThis as unknown as { wx: WxPay }).wx;

  it('pays as the session\'s learner and the callback runs; another learner, a forged sign or a cancel do not pay', async () => {
    const learner = newLearner();
    const app = loadModule('services/cloud', { openid: learner });
    const outTradeNo = newTradeNo();
    const { result } = await wxOf().cloud.callFunction({ name: 'pay-order', data: { api: 'unifiedOrder', data: unifiedOrderOf(outTradeNo) } });
    const payment = result.result.payment as Record<string, string>;

    nextPayment({ cancel: true });
    await expect(wxOf().requestPayment(payment)).rejects.toMatchObject({ errMsg: 'requestPayment:fail cancel' });
    await expect(wxOf().requestPayment({ ...payment, paySign: '0'.repeat(32) })).rejects.toMatchObject({
      errMsg: 'requestPayment:fail 支付验证签名失败',
    });
    app.cloud.openid = newLearner();
    await expect(wxOf().requestPayment(payment)).rejects.toMatchObject({ errMsg: expect.stringContaining('下单账号与支付账号不一致') });
    expect(await received(outTradeNo)).toHaveLength(0);

    app.cloud.openid = learner;
    await expect(wxOf().requestPayment(payment)).resolves.toEqual({ errMsg: 'requestPayment:ok' });
    expect((await received(outTradeNo))[0]).toMatchObject({ subOpenid: learner, outTradeNo });
  });
});

describe('the ledger', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'zhishi-pay-'));
  let other: RunningEmulator | undefined;

  afterAll(async () => {
    await other?.kill();
    Object.assign(process.env, readSdkEnv(process.env.EMULATOR_DATA!));
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('survives kill -9 and a restart of the emulator', async () => {
    const functionsDirs = [resolve(__dirname, '../../cloudfunctions'), resolve(__dirname, '../fixtures/cloudfunctions')];
    other = await launchEmulator({ dataDir, functionsDirs, noDemo: true });
    Object.assign(process.env, other.sdkEnv);
    const outTradeNo = newTradeNo();
    await cloudPay.unifiedOrder!(unifiedOrderOf(outTradeNo, { subOpenid: 'o-buyer' }));
    await fetch(`${other.url}/__emulator/pay/trades/${outTradeNo}/pay`, { method: 'POST', body: '{"deliver": false}' });

    await other.kill();
    other = await launchEmulator({ dataDir, functionsDirs, noDemo: true });
    Object.assign(process.env, other.sdkEnv);
    expect(await query(outTradeNo)).toMatchObject({ tradeState: 'SUCCESS', subOpenid: 'o-buyer' });
    const ledger = (await (await fetch(`${other.url}/__emulator/pay/ledger`)).json()) as { deliveries: Delivery[] };
    expect(ledger.deliveries).toMatchObject([{ key: outTradeNo, status: 'dropped' }]);
  });
});
