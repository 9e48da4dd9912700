import { createHmac, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { CreateOrderResponse, PaymentContext } from '../../domain/contracts/orders';
import { RECONCILE_AFTER_MS } from '../../domain/orders/settle';
import type { ClientPayment } from '../../domain/payments/provider';
import { productIdFor, refundOrderIdFor, virtualPaymentRefusal } from '../../domain/payments/virtualgoods';
import {
  allDelivered,
  call,
  courseEntitlementOf,
  dbRequestsOf,
  deliveriesOf,
  incidentsOf,
  ok,
  orderOf,
  ordersOf,
  payLedger,
  placeOrder,
} from '../support/commerce';
import { loadModule, newLearner } from '../support/miniprogram';
import { callAs, connectSdk, control, emulatorUrl, waitFor } from '../support/sdk';
import { useDevice } from '../support/wx/device';
import { nextPayment } from '../support/wx/pay';
import { staffOk } from '../support/staff';

/**
 * Virtual payment end to end: createOrder from an iPhone answers `wx.requestVirtualPayment` parameters
 * signed with the AppKey and the learner's session_key (from their wx.login code), the harness pays in
 * the emulator's sandbox, whose `xpay_goods_deliver_notify` reaches the real xpayNotify through the
 * product's message push route; settleOrders reconciles through `xpay/query_order`, refunds go through
 * `xpay/refund_order` and `xpay_refund_notify`. The mini program's side is its real services/pay.
 */
const { callFunction, database } = connectSdk();
const db = database();

const { virtualPayment, virtualPaymentSandbox } = JSON.parse(readFileSync(process.env.EMULATOR_CONFIG!, 'utf8')) as {
  virtualPayment: { offerId: string; env: 0 | 1 };
  virtualPaymentSandbox: { appKey: string };
};
const COURSE = 'excel-basics';
const PRICE = 990;
const COURSE_TITLE = 'Excel 零基础到高效办公';

/** The mini program's services/pay, typed here (its own types live in the mini program's world). */
interface PayService {
  paymentContext(): Promise<PaymentContext>;
  pay(payment: ClientPayment): Promise<'paid' | 'cancelled'>;
}

/** The learner's mini program on a device: `system` 'iOS 17.4', 'Android 14'... */
function device(openid: string, platform: string, system = platform === 'ios' ? 'iOS 17.4' : 'Android 14'): PayService {
  const { module } = loadModule<PayService>('services/pay', { openid });
  useDevice({ platform, system });
  return module;
}

/** What the page does: the device's payment context, then createOrder with it. */
async function order(openid: string, on: PayService, item: Record<string, unknown> = { courseId: COURSE }, clientRequestKey = randomUUID()) {
  return call<CreateOrderResponse>(openid, 'createOrder', { ...item, clientRequestKey, ...(await on.paymentContext()) });
}

async function orderOk(openid: string, on: PayService, item?: Record<string, unknown>) {
  const { reply, dbRequests } = await order(openid, on, item);
  if (!reply.ok) throw new Error(`createOrder failed: ${reply.code} ${reply.message}`);
  return { ...reply.data, dbRequests };
}

const hmac = (key: string, text: string) => createHmac('sha256', key).update(text).digest('hex');
const sessionKeyOf = async (openid: string) => (await control<{ sessionKey: string }>('GET', `/xpay/session-key?openid=${encodeURIComponent(openid)}`)).sessionKey;

/** What createOrder signs for an order of the course at `goodsPrice` fen. */
const signDataOf = (outTradeNo: string, goodsPrice = PRICE) => ({
  offerId: virtualPayment.offerId,
  buyQuantity: 1,
  env: virtualPayment.env,
  currencyType: 'CNY',
  productId: `course-${COURSE}-${goodsPrice}`,
  goodsPrice,
  outTradeNo,
  attach: `course:${COURSE}`,
});

/** A virtual payment of `signData` for `openid`, signed as only our server could (the sandbox's AppKey) and with the learner's session_key. */
async function signedPayment(openid: string, signData: string): Promise<ClientPayment> {
  return {
    provider: 'virtualPayment',
    params: { mode: 'short_series_goods', signData, paySig: hmac(virtualPaymentSandbox.appKey, `requestVirtualPayment&${signData}`), signature: hmac(await sessionKeyOf(openid), signData) },
  };
}

/**
 * A message push delivered again as WeChat would (no learner in the context): the ledger's event with the
 * envelope fields message push adds to each delivery. Answers what the function answered.
 */
const pushAgain = async (event: Record<string, unknown>) =>
  (await callFunction('xpayNotify', { ToUserName: 'gh_00000000', CreateTime: Math.floor(Date.now() / 1000), MsgType: 'event', ...event })).result;

const paidCourse = async (openid: string) => {
  const iphone = device(openid, 'ios');
  const created = await orderOk(openid, iphone);
  expect(await iphone.pay(created.payment!)).toBe('paid');
  return created.order.id;
};

describe('choosing the payment rail', () => {
  it('pays iOS orders with virtual payment, and Android, DevTools, an unknown or no platform with cloud pay', async () => {
    const providers: Record<string, unknown> = {};
    for (const platform of ['ios', 'android', 'devtools', 'linux']) {
      const buyer = newLearner();
      providers[platform] = (await orderOk(buyer, device(buyer, platform))).payment!.provider;
      expect((await ordersOf(buyer))[0]!.provider).toBe(providers[platform]);
    }
    const buyer = newLearner();
    providers.none = (await placeOrder(buyer, { courseId: COURSE })).data.payment!.provider;
    expect(providers).toEqual({ ios: 'virtualPayment', android: 'cloudPay', devtools: 'cloudPay', linux: 'cloudPay', none: 'cloudPay' });
  });

  it("refuses virtual payment on iOS under 1 CNY (Apple's minimum), with words for the learner", () => {
    // Every demo price is at least 1 CNY, and a cheaper course added here would show in other tests'
    // catalogs: the rule itself, which Payments.for applies before createOrder inserts the order.
    expect(virtualPaymentRefusal('ios', 99)).toBe('在苹果手机上单笔支付不能低于 1 元，请在安卓手机或电脑上的微信中购买');
    expect(virtualPaymentRefusal('ios', 100)).toBeUndefined();
    expect(virtualPaymentRefusal('android', 1)).toBeUndefined();
  });

  it('asks an iOS order for a wx.login code, and takes only the code of the learner ordering', async () => {
    const buyer = newLearner();
    const key = randomUUID();
    const missing = await call<CreateOrderResponse>(buyer, 'createOrder', { courseId: COURSE, clientRequestKey: key, platform: 'ios' });
    expect(missing.reply).toEqual({ ok: false, code: 'INVALID_INPUT', message: '缺少微信登录凭证，请重新打开小程序后再试' });

    const other = newLearner();
    const stolen = await device(other, 'ios').paymentContext();
    const refused = await call<CreateOrderResponse>(buyer, 'createOrder', { courseId: COURSE, clientRequestKey: key, ...stolen });
    expect(refused.reply).toMatchObject({ ok: false, code: 'PAYMENT_UNAVAILABLE' });

    // The same tap with the learner's own code reaches the same order, now payable.
    const { reply } = await order(buyer, device(buyer, 'ios'), { courseId: COURSE }, key);
    expect(reply).toMatchObject({ ok: true, data: { payment: { provider: 'virtualPayment' } } });
    expect(await ordersOf(buyer)).toHaveLength(1);
  });
});

describe('paying with virtual payment', () => {
  it('answers parameters the sandbox accepts; paying grants the course through xpayNotify, 9 DB requests in all', async () => {
    const buyer = newLearner();
    const iphone = device(buyer, 'ios');
    const created = await orderOk(buyer, iphone);
    const { payment } = created;
    if (payment?.provider !== 'virtualPayment') throw new Error(`expected virtual payment, got ${JSON.stringify(payment)}`);
    const { signData, paySig, signature, mode } = payment.params;
    expect(mode).toBe('short_series_goods');
    expect(JSON.parse(signData)).toEqual(signDataOf(created.order.id));
    expect(paySig).toBe(hmac(virtualPaymentSandbox.appKey, `requestVirtualPayment&${signData}`));
    expect(signature).toBe(hmac(await sessionKeyOf(buyer), signData));

    expect(await iphone.pay(payment)).toBe('paid');
    const [delivery] = await deliveriesOf(created.order.id);
    expect(delivery).toMatchObject({ kind: 'virtualPayment', status: 'delivered', attempts: [{ outcome: 'acknowledged', result: { ErrCode: 0, ErrMsg: 'success' } }] });
    expect(await orderOf(created.order.id)).toMatchObject({ status: 'paid', provider: 'virtualPayment', payment: { amount: PRICE, transactionId: expect.any(String) } });
    expect(await courseEntitlementOf(buyer, COURSE)).toMatchObject({ status: 'active', source: { kind: 'order', orderId: created.order.id } });
    expect((await payLedger()).virtualOrders.find((o) => o.outTradeNo === created.order.id)).toMatchObject({ status: 4 });

    const xpayNotify = await dbRequestsOf(delivery!.attempts[0]!.invocationId!);
    expect({ createOrder: created.dbRequests, xpayNotify }).toEqual({ createOrder: 4, xpayNotify: 5 });
  });

  it('treats duplicate and late pushes as replays: one grant, no incident, every copy acknowledged', async () => {
    const buyer = newLearner();
    const iphone = device(buyer, 'ios');
    const created = await orderOk(buyer, iphone);
    nextPayment({ duplicates: 2 });
    expect(await iphone.pay(created.payment!)).toBe('paid');
    const copies = await waitFor(() => deliveriesOf(created.order.id), allDelivered(3));
    expect(copies.map((d) => d.status)).toEqual(['delivered', 'delivered', 'delivered']);

    expect(await pushAgain(copies[0]!.event)).toEqual({ ErrCode: 0, ErrMsg: 'success' });
    const stored = await orderOf(created.order.id);
    expect(stored.history.filter((h) => h.to === 'paid')).toHaveLength(1);
    expect(await incidentsOf(created.order.id)).toEqual([]);
    expect(await courseEntitlementOf(buyer, COURSE)).toMatchObject({ status: 'active' });
  });

  it('records a payment of another amount as an incident and needsRefund, granting nothing', async () => {
    const buyer = newLearner();
    const iphone = device(buyer, 'ios');
    const created = await orderOk(buyer, iphone);
    // What a wrong price registered for the product would charge: signData for this order at 1 fen.
    const signData = JSON.stringify({ ...JSON.parse((created.payment!.params as { signData: string }).signData), goodsPrice: 1 });
    expect(await iphone.pay(await signedPayment(buyer, signData))).toBe('paid');

    expect((await deliveriesOf(created.order.id))[0]).toMatchObject({ status: 'delivered', attempts: [{ result: { ErrCode: 0 } }] });
    expect(await orderOf(created.order.id)).toMatchObject({ status: 'needsRefund', payment: { amount: 1 } });
    expect(await incidentsOf(created.order.id)).toEqual([expect.objectContaining({ kind: 'amountMismatch', provider: 'virtualPayment', detail: `paid 1 fen, quoted ${PRICE} fen` })]);
    expect(await courseEntitlementOf(buyer, COURSE)).toBeUndefined();
  });

  it('records a push from the other env (a sandbox payment reaching production) and grants nothing', async () => {
    const buyer = newLearner();
    const created = await orderOk(buyer, device(buyer, 'ios'));
    const answer = await pushAgain({
      MsgType: 'event',
      Event: 'xpay_goods_deliver_notify',
      OpenId: buyer,
      OutTradeNo: created.order.id,
      Env: 1 - virtualPayment.env,
      CreateTime: Math.floor(Date.now() / 1000),
      WeChatPayInfo: { MchOrderNo: 'xpay-other-env', TransactionId: '4200000000000000000000000001', PaidTime: Math.floor(Date.now() / 1000) },
      GoodsInfo: { ProductId: `course-${COURSE}-${PRICE}`, Quantity: 1, OrigPrice: PRICE, ActualPrice: PRICE, Attach: '' },
    });
    expect(answer).toEqual({ ErrCode: 0, ErrMsg: 'success' });
    expect(await orderOf(created.order.id)).toMatchObject({ status: 'pending' });
    expect(await incidentsOf(created.order.id)).toEqual([expect.objectContaining({ kind: 'rejectedNotification', detail: expect.stringContaining('merchantMismatch') })]);
  });

  it('refuses a learner calling xpayNotify from the mini program, changing nothing', async () => {
    const buyer = newLearner();
    const iphone = device(buyer, 'ios');
    const created = await orderOk(buyer, iphone);
    nextPayment({ deliver: false });
    await iphone.pay(created.payment!);
    const [dropped] = await deliveriesOf(created.order.id);

    const { body, dbRequests } = await callAs(buyer, 'xpayNotify', dropped!.event);
    expect(body.result).toEqual({ ErrCode: 403, ErrMsg: 'message push handlers are not callable from the mini program' });
    expect(dbRequests).toBe(0);
    expect(await orderOf(created.order.id)).toMatchObject({ status: 'pending' });
    expect(await courseEntitlementOf(buyer, COURSE)).toBeUndefined();
  });

  it('settleOrders completes a paid order whose push was lost, through query_order; the late push is then a replay', async () => {
    const buyer = newLearner();
    const iphone = device(buyer, 'ios');
    const created = await orderOk(buyer, iphone);
    nextPayment({ deliver: false });
    expect(await iphone.pay(created.payment!)).toBe('paid');
    const [dropped] = await deliveriesOf(created.order.id);
    expect(dropped).toMatchObject({ status: 'dropped' });
    expect(await orderOf(created.order.id)).toMatchObject({ status: 'pending' });

    // Data setup, not a mock: the order is made old enough to be reconciled.
    await db.collection('orders').doc(created.order.id).update({ data: { createdAt: new Date(Date.now() - RECONCILE_AFTER_MS - 60_000) } });
    await callFunction('settleOrders', {});
    expect(await orderOf(created.order.id)).toMatchObject({ status: 'paid', payment: { amount: PRICE } });
    expect(await courseEntitlementOf(buyer, COURSE)).toMatchObject({ status: 'active' });

    expect(await pushAgain(dropped!.event)).toEqual({ ErrCode: 0, ErrMsg: 'success' });
    expect(await incidentsOf(created.order.id)).toEqual([]);
    expect((await orderOf(created.order.id)).history.filter((h) => h.to === 'paid')).toHaveLength(1);
  });

  it('cancelOrder closes an unpaid virtual order (WeChat has nothing to close), and not a paid one', async () => {
    const buyer = newLearner();
    const unpaid = await orderOk(buyer, device(buyer, 'ios'));
    expect((await ok<{ order: { status: string } }>(buyer, 'cancelOrder', { orderId: unpaid.order.id })).data.order.status).toBe('closed');

    const payer = newLearner();
    const iphone = device(payer, 'ios');
    const paid = await orderOk(payer, iphone);
    nextPayment({ deliver: false });
    await iphone.pay(paid.payment!);
    expect((await call(payer, 'cancelOrder', { orderId: paid.order.id })).reply).toMatchObject({ ok: false, code: 'CONFLICT' });
  });
});

describe('refunding a virtual payment', () => {
  /**
   * A learner pays, asks for the refund and staff approve it: the order is refunding at WeChat. Then the
   * sandbox ends the refund as `outcome` says (`{}` done, `deliver: false` its push lost, `fail: true`).
   */
  async function refundEndedAtWeChat(outcome: Record<string, unknown> = {}) {
    const buyer = newLearner();
    const orderId = await paidCourse(buyer);
    await ok(buyer, 'requestRefund', { orderId, reason: '内容和预期不一样' });
    await staffOk('support', 'reviewRefund', { orderId, approve: true });
    const order = await orderOf(orderId);
    expect(order).toMatchObject({ status: 'refunding' });
    const refundOrderId = refundOrderIdFor(order.refund!.outRefundNo);
    expect((await payLedger()).virtualRefunds.find((r) => r.refundOrderId === refundOrderId)).toMatchObject({ outTradeNo: orderId, refundFee: PRICE, status: 1 });

    const res = await fetch(`${emulatorUrl()}/__emulator/xpay/refunds/${refundOrderId}/complete`, { method: 'POST', body: JSON.stringify(outcome) });
    expect(res.status).toBe(200);
    return { buyer, orderId, refundOrderId };
  }

  it('goes through xpay/refund_order; xpay_refund_notify completes it once and revokes the course', async () => {
    const { buyer, orderId, refundOrderId } = await refundEndedAtWeChat();
    expect(await orderOf(orderId)).toMatchObject({ status: 'refunded', refund: { refundId: expect.any(String), refundedAt: expect.any(Date) } });
    expect(await courseEntitlementOf(buyer, COURSE)).toMatchObject({ status: 'revoked' });

    const [notice] = await deliveriesOf(refundOrderId);
    expect(notice).toMatchObject({ kind: 'virtualRefund', status: 'delivered', attempts: [{ result: { ErrCode: 0 } }] });
    expect(await pushAgain(notice!.event)).toEqual({ ErrCode: 0, ErrMsg: 'success' });
    expect(await incidentsOf(orderId)).toEqual([]);
  });

  it('settleOrders completes a refund whose xpay_refund_notify was lost, through query_order; the late push is then a replay', async () => {
    const { buyer, orderId, refundOrderId } = await refundEndedAtWeChat({ deliver: false });
    expect(await orderOf(orderId)).toMatchObject({ status: 'refunding' });

    // Data setup, not a mock: the refund is made old enough to be reconciled.
    await db.collection('orders').doc(orderId).update({ data: { 'refund.requestedAt': new Date(Date.now() - RECONCILE_AFTER_MS - 60_000) } });
    await callFunction('settleOrders', {});
    expect(await orderOf(orderId)).toMatchObject({ status: 'refunded' });
    expect(await courseEntitlementOf(buyer, COURSE)).toMatchObject({ status: 'revoked' });

    const [lost] = await deliveriesOf(refundOrderId);
    expect(await pushAgain(lost!.event)).toEqual({ ErrCode: 0, ErrMsg: 'success' });
    expect(await incidentsOf(orderId)).toEqual([]);
  });

  it('a refund WeChat fails sends the order back to paid with an incident; the learner keeps the course', async () => {
    const { buyer, orderId } = await refundEndedAtWeChat({ fail: true });
    expect(await orderOf(orderId)).toMatchObject({ status: 'paid', refund: { failure: { detail: expect.stringContaining('RetCode 1') } } });
    expect(await incidentsOf(orderId)).toEqual([expect.objectContaining({ kind: 'refundFailed', provider: 'virtualPayment' })]);
    expect(await courseEntitlementOf(buyer, COURSE)).toMatchObject({ status: 'active' });
  });
});

describe('what WeChat does not confirm', () => {
  const now = () => Math.floor(Date.now() / 1000);
  /** A delivery push for `outTradeNo` with every field right, as WeChat would send it once the learner paid. */
  const deliveryFor = (openid: string, outTradeNo: string) => ({
    Event: 'xpay_goods_deliver_notify',
    OpenId: openid,
    OutTradeNo: outTradeNo,
    Env: virtualPayment.env,
    CreateTime: now(),
    WeChatPayInfo: { MchOrderNo: `wx${outTradeNo}`, TransactionId: '4200000000202612060000000001', PaidTime: now() },
    GoodsInfo: { ProductId: `course-${COURSE}-${PRICE}`, Quantity: 1, OrigPrice: PRICE, ActualPrice: PRICE, Attach: `course:${COURSE}` },
  });

  it('grants nothing for a delivery push of an order nobody paid, invoked as the platform with every field right', async () => {
    const buyer = newLearner();
    const created = await orderOk(buyer, device(buyer, 'ios'));
    // Another function or an admin script can invoke xpayNotify with no learner in its context, as WeChat does.
    expect(await pushAgain(deliveryFor(buyer, created.order.id))).toEqual({ ErrCode: 0, ErrMsg: 'success' });
    const order = await orderOf(created.order.id);
    expect(order.status).toBe('pending');
    expect(order.payment).toBeUndefined();
    expect(await courseEntitlementOf(buyer, COURSE)).toBeUndefined();
    // Recorded for staff as a suspicious event, not as money to give back.
    expect(await incidentsOf(created.order.id)).toEqual([expect.objectContaining({ kind: 'suspiciousEvent', provider: 'virtualPayment', status: 'open' })]);
  });

  it('applies nothing for a refund push WeChat did not send: the learner keeps the course while the refund is under way', async () => {
    const buyer = newLearner();
    const orderId = await paidCourse(buyer);
    await ok(buyer, 'requestRefund', { orderId, reason: '内容和预期不一样' });
    await staffOk('support', 'reviewRefund', { orderId, approve: true });
    const { refund } = await orderOf(orderId);
    const refundOrderId = refundOrderIdFor(refund!.outRefundNo);

    const forged = { Event: 'xpay_refund_notify', OpenId: buyer, MchOrderId: orderId, MchRefundId: refundOrderId, WxRefundId: 'wx-refund-forged', RefundFee: PRICE, RetCode: 0, RefundSuccTimestamp: now() };
    expect(await pushAgain(forged)).toEqual({ ErrCode: 0, ErrMsg: 'success' });
    expect(await pushAgain({ ...forged, RetCode: 1, RetMsg: 'refund failed' })).toEqual({ ErrCode: 0, ErrMsg: 'success' });
    expect(await orderOf(orderId)).toMatchObject({ status: 'refunding' });
    expect(await courseEntitlementOf(buyer, COURSE)).toMatchObject({ status: 'active' });
    expect(await incidentsOf(orderId)).toEqual([expect.objectContaining({ kind: 'suspiciousEvent', provider: 'virtualPayment' })]);

    // The real refund then completes as usual.
    const res = await fetch(`${emulatorUrl()}/__emulator/xpay/refunds/${refundOrderId}/complete`, { method: 'POST', body: '{}' });
    expect(res.status).toBe(200);
    expect(await orderOf(orderId)).toMatchObject({ status: 'refunded' });
    expect(await courseEntitlementOf(buyer, COURSE)).toMatchObject({ status: 'revoked' });
  });

  it('never settles a cloud pay order with a virtual payment, even one WeChat confirms', async () => {
    const buyer = newLearner();
    const android = device(buyer, 'android');
    const created = await orderOk(buyer, android);
    expect(created.payment!.provider).toBe('cloudPay');
    // A virtual payment under the same order number, signed as only our server could: WeChat takes it and pushes it.
    expect(await device(buyer, 'ios').pay(await signedPayment(buyer, JSON.stringify(signDataOf(created.order.id))))).toBe('paid');
    expect((await deliveriesOf(created.order.id))[0]).toMatchObject({ kind: 'virtualPayment', status: 'delivered' });

    const order = await orderOf(created.order.id);
    expect(order.status).toBe('pending');
    expect(order.payment).toBeUndefined();
    expect(await courseEntitlementOf(buyer, COURSE)).toBeUndefined();
    expect(await incidentsOf(created.order.id)).toEqual([expect.objectContaining({ kind: 'wrongRail', provider: 'virtualPayment', openid: buyer })]);

    // Its own rail still pays it.
    expect(await device(buyer, 'android').pay(created.payment!)).toBe('paid');
    expect(await orderOf(created.order.id)).toMatchObject({ status: 'paid', provider: 'cloudPay' });
    expect(await courseEntitlementOf(buyer, COURSE)).toMatchObject({ status: 'active' });
  });
});

describe('services/pay in the mini program', () => {
  it('sends the platform it knows and a fresh wx.login code with every order', async () => {
    const buyer = newLearner();
    const first = await device(buyer, 'android').paymentContext();
    expect(first).toEqual({ platform: 'android', loginCode: expect.any(String) });
    expect((await device(buyer, 'android').paymentContext()).loginCode).not.toBe(first.loginCode);
    expect(await device(buyer, 'harmony-next').paymentContext()).toEqual({ loginCode: expect.any(String) });
  });

  it("answers 'cancelled' when the learner closes either pay sheet", async () => {
    for (const platform of ['ios', 'android']) {
      const buyer = newLearner();
      const phone = device(buyer, platform);
      const created = await orderOk(buyer, phone);
      nextPayment({ cancel: true });
      expect(await phone.pay(created.payment!)).toBe('cancelled');
      expect(await orderOf(created.order.id)).toMatchObject({ status: 'pending' });
    }
  });

  it('pays cloud pay on Android with wx.requestPayment', async () => {
    const buyer = newLearner();
    const android = device(buyer, 'android');
    const created = await orderOk(buyer, android);
    expect(await android.pay(created.payment!)).toBe('paid');
    expect(await waitFor(() => orderOf(created.order.id), (o) => o.status === 'paid')).toMatchObject({ status: 'paid', provider: 'cloudPay' });
  });

  it('refuses virtual payment below iOS 15 with words for the learner, without opening the pay sheet', async () => {
    const buyer = newLearner();
    const old = device(buyer, 'ios', 'iOS 14.8');
    const created = await orderOk(buyer, old);
    await expect(old.pay(created.payment!)).rejects.toMatchObject({ code: 'PAYMENT_UNAVAILABLE', message: '在苹果手机上购买需要 iOS 15 或以上版本，请升级系统后再试' });
    expect((await payLedger()).virtualOrders.find((o) => o.outTradeNo === created.order.id)).toBeUndefined();
  });

  it('says why a virtual payment failed, in the learner\'s words', async () => {
    const buyer = newLearner();
    const iphone = device(buyer, 'ios');
    const created = await orderOk(buyer, iphone);
    const params = (created.payment as Extract<ClientPayment, { provider: 'virtualPayment' }>).params;
    // A signature WeChat refuses (-15005), as a stale session_key would give.
    await expect(iphone.pay({ provider: 'virtualPayment', params: { ...params, signature: hmac('stale', params.signData) } })).rejects.toMatchObject({
      code: 'PAYMENT_UNAVAILABLE',
      message: '支付未完成，请稍后重试',
    });
  });
});

describe('products', () => {
  it('names one product per item and price, the same for a course bought for oneself or as a gift', () => {
    expect(productIdFor({ kind: 'course', courseId: COURSE, title: COURSE_TITLE }, PRICE)).toBe('course-excel-basics-990');
    expect(productIdFor({ kind: 'gift', courseId: COURSE, title: COURSE_TITLE }, PRICE)).toBe('course-excel-basics-990');
    expect(productIdFor({ kind: 'membership', planId: 'plan-year', title: '年度会员', durationDays: 365 }, 19900)).toBe('plan-plan-year-19900');
  });
});
