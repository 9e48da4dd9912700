import { createHmac, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { loadModule, newLearner } from '../support/miniprogram';
import { connectSdk, control, emulatorUrl } from '../support/sdk';
import { nextPayment } from '../support/wx/pay';

/**
 * The virtual payment sandbox: the learner's `wx.requestVirtualPayment` (through the harness) is checked
 * like WeChat checks it, and a good one pushes `xpay_goods_deliver_notify` to the function the test
 * configuration routes it to (test/fixtures/cloudfunctions/pay-callback); `xpay/query_order` is the
 * server's fall-back.
 */
const { database } = connectSdk();
const config = (JSON.parse(readFileSync(process.env.EMULATOR_CONFIG!, 'utf8')) as {
  virtualPayment: { offerId: string; env: 0 | 1; sandboxAppKey: string };
}).virtualPayment;
const LOG = 'pay_fixture_log';

const hmac = (key: string, text: string) => createHmac('sha256', key).update(text).digest('hex');
const sessionKeyOf = async (openid: string) =>
  (await control<{ sessionKey: string }>('GET', `/xpay/session-key?openid=${encodeURIComponent(openid)}`)).sessionKey;

/** What the product's server answers for a purchase: signData and both signatures, as WeChat documents them. */
async function purchase(openid: string, change: Record<string, unknown> = {}) {
  const outTradeNo = `V${Date.now()}${randomBytes(4).toString('hex')}`;
  const signData = JSON.stringify({
    offerId: config.offerId,
    buyQuantity: 1,
    env: config.env,
    currencyType: 'CNY',
    productId: 'course-ts-101',
    goodsPrice: 990,
    outTradeNo,
    attach: 'order:42',
    ...change,
  });
  return {
    outTradeNo,
    call: {
      mode: 'short_series_goods',
      signData,
      paySig: hmac(config.sandboxAppKey, `requestVirtualPayment&${signData}`),
      signature: hmac(await sessionKeyOf(openid), signData),
    },
  };
}

type Wx = { requestVirtualPayment(param: Record<string, unknown>): Promise<{ errMsg: string }> };
const wxOf = () => (globalThis as unknown as { wx: Wx }).wx;

async function received(key: string): Promise<Record<string, unknown>[]> {
  const { data } = await database().collection(LOG).where({ key }).orderBy('at', 'asc').get();
  return data.map((d) => d.event as Record<string, unknown>);
}

/** `POST /xpay/query_order`, signed as the server signs it. */
async function queryOrder(body: Record<string, unknown>, appKey = config.sandboxAppKey) {
  const text = JSON.stringify(body);
  const paySig = hmac(appKey, `/xpay/query_order&${text}`);
  const res = await fetch(`${emulatorUrl()}/xpay/query_order?access_token=local&pay_sig=${paySig}`, { method: 'POST', body: text });
  return (await res.json()) as { errcode: number; errmsg: string; order?: Record<string, unknown> };
}

beforeAll(async () => {
  await control('POST', '/collections', { name: LOG });
});

describe('wx.requestVirtualPayment', () => {
  it('refuses a paySig not made with the AppKey, and a signature not made with the learner\'s session_key', async () => {
    const learner = newLearner();
    loadModule('services/cloud', { openid: learner });
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
    expect((await queryOrder({ openid: learner, env: config.env, order_id: outTradeNo })).errcode).toBe(268490002);
  });

  it('refuses signData for another offerId or env, even when signed', async () => {
    const learner = newLearner();
    loadModule('services/cloud', { openid: learner });
    await expect(wxOf().requestVirtualPayment((await purchase(learner, { offerId: '1450999999' })).call)).rejects.toMatchObject({ errCode: -15001 });
    await expect(wxOf().requestVirtualPayment((await purchase(learner, { env: 1 - config.env })).call)).rejects.toMatchObject({ errCode: -15001 });
  });

  it('pays and pushes xpay_goods_deliver_notify to the routed function; query_order then shows it delivered', async () => {
    const learner = newLearner();
    loadModule('services/cloud', { openid: learner });
    const { outTradeNo, call } = await purchase(learner);
    await expect(wxOf().requestVirtualPayment(call)).resolves.toEqual({ errMsg: 'requestVirtualPayment:ok' });

    const [event] = await received(outTradeNo);
    expect(event).toMatchObject({
      MsgType: 'event',
      Event: 'xpay_goods_deliver_notify',
      OpenId: learner,
      OutTradeNo: outTradeNo,
      Env: config.env,
      WeChatPayInfo: { MchOrderNo: expect.any(String), TransactionId: expect.any(String), PaidTime: expect.any(Number) },
      GoodsInfo: { ProductId: 'course-ts-101', Quantity: 1, OrigPrice: 990, ActualPrice: 990, Attach: 'order:42' },
    });
    const { order } = await queryOrder({ openid: learner, env: config.env, order_id: outTradeNo });
    expect(order).toMatchObject({ order_id: outTradeNo, status: 4, paid_fee: 990, provide_time: expect.any(Number) });
    await expect(wxOf().requestVirtualPayment(call)).rejects.toMatchObject({ errCode: -15001 });
  });

  it('retries the push until the function answers {ErrCode: 0}; a lost push leaves the order paid but not delivered', async () => {
    const learner = newLearner();
    loadModule('services/cloud', { openid: learner });
    const retried = await purchase(learner, { attach: 'fail:1' });
    await wxOf().requestVirtualPayment(retried.call);
    const query = () => queryOrder({ openid: learner, env: config.env, order_id: retried.outTradeNo });
    expect((await query()).order!.status).toBe(2);
    for (let i = 0; i < 100 && (await query()).order!.status !== 4; i++) await new Promise((r) => setTimeout(r, 25));
    expect((await query()).order!.status).toBe(4);
    expect(await received(retried.outTradeNo)).toHaveLength(2);

    const lost = await purchase(learner);
    nextPayment({ deliver: false });
    await wxOf().requestVirtualPayment(lost.call);
    const { order } = await queryOrder({ openid: learner, env: config.env, order_id: lost.outTradeNo });
    expect(order).toMatchObject({ status: 2, paid_fee: 990, provide_time: 0 });
    expect(await received(lost.outTradeNo)).toHaveLength(0);
  });

  it('query_order refuses a pay_sig not made with the AppKey', async () => {
    expect(await queryOrder({ openid: 'o-x', env: config.env, order_id: 'V1' }, 'a-guessed-key')).toMatchObject({ errcode: -1 });
  });
});
