import { randomUUID } from 'node:crypto';
import type { CancelOrderResponse } from '../../domain/contracts/orders';
import { outTradeNoFor } from '../../domain/orders/create';
import type { Order } from '../../domain/orders/model';
import { IllegalTransitionError, orderTransitions, transition } from '../../domain/orders/transitions';
import {
  allDelivered,
  answersOf,
  call,
  deliveriesOf,
  entitlementsOf,
  firstDeliveryRequests,
  incidentsOf,
  ok,
  orderOf,
  ordersOf,
  outboxOf,
  pay,
  payLedger,
  paymentEvent,
  placeOrder,
  placeTrade,
  sandboxPay,
  viewerOf,
} from '../support/commerce';
import { callAs, connectSdk, emulatorUrl, uniqueName, waitFor } from '../support/sdk';

/**
 * Buying a course: createOrder, cancelOrder and the payNotify callback through the gateway as learners,
 * cloud pay's sandbox taking the money and notifying payNotify as WeChat does (README, "Sandbox controls").
 */
const { database, callFunction } = connectSdk();
const db = database();

const COURSE = 'excel-basics';
const PRICE = 990;

/** The learner accepts the subscription dialog for these templates (the harness's wx.requestSubscribeMessage). */
async function subscribe(openid: string, tmplIds: string[]) {
  const res = await fetch(`${emulatorUrl()}/gateway/subscribeMessage`, { method: 'POST', body: JSON.stringify({ openid, tmplIds, accept: true }) });
  expect(res.status).toBe(200);
}

const learner = () => uniqueName('o-buyer');

describe('the order state machine', () => {
  const order: Order = {
    _id: 'O1',
    outTradeNo: 'O1',
    openid: 'o-1',
    clientRequestKey: 'k-00000001',
    item: { kind: 'course', courseId: COURSE, title: 'Excel' },
    amount: PRICE,
    status: 'pending',
    provider: 'cloudPay',
    createdAt: new Date(0),
    history: [{ from: null, to: 'pending', at: new Date(0), reason: 'created' }],
  };

  it('lists every status, and moves only along the listed transitions, recording each in the history', () => {
    expect(Object.keys(orderTransitions).sort()).toEqual(['closed', 'needsRefund', 'paid', 'pending', 'refundRequested', 'refunded', 'refunding']);
    const at = new Date(1000);
    const paid = transition(order, 'paid', 'payment', at);
    expect(paid).toMatchObject({ status: 'paid', paidAt: at });
    expect(paid.history.slice(1)).toEqual([{ from: 'pending', to: 'paid', at, reason: 'payment' }]);
    expect(order.status).toBe('pending');
    expect(transition(transition(order, 'closed', 'timeout', at), 'paid', 'late payment', at).history.map((h) => h.to)).toEqual(['pending', 'closed', 'paid']);
  });

  it.each([
    ['paid', 'closed'],
    ['paid', 'pending'],
    ['pending', 'refunded'],
    ['closed', 'refunding'],
    ['refunded', 'paid'],
    ['paid', 'paid'],
  ] as const)('refuses %s -> %s with an error', (from, to) => {
    expect(() => transition({ ...order, status: from }, to, 'test', new Date())).toThrow(IllegalTransitionError);
    expect(() => transition({ ...order, status: from }, to, 'test', new Date())).toThrow(`illegal transition ${from} -> ${to}`);
  });
});

describe('createOrder', () => {
  it('prices the course from the database and answers the payment for wx.requestPayment, in 3 requests', async () => {
    const buyer = learner();
    const key = randomUUID();
    const { data, dbRequests } = await placeOrder(buyer, { courseId: COURSE }, key);
    expect(data.order).toMatchObject({ id: outTradeNoFor(buyer, key), item: { kind: 'course', courseId: COURSE, title: 'Excel 零基础到高效办公' }, amount: PRICE, originalAmount: 4900, status: 'pending' });
    expect(data.payment).toEqual({
      provider: 'cloudPay',
      params: { appId: expect.stringMatching(/^wx/), timeStamp: expect.any(String), nonceStr: expect.any(String), package: expect.stringMatching(/^prepay_id=/), signType: 'MD5', paySign: expect.any(String) },
    });
    // The course; its entitlements and the learner's referral binding at once; the insert.
    expect(dbRequests).toBe(4);
    const stored = await orderOf(data.order.id);
    expect(stored).toMatchObject({ outTradeNo: data.order.id, openid: buyer, clientRequestKey: key, amount: PRICE, status: 'pending', provider: 'cloudPay' });
    expect(stored.outTradeNo).toMatch(/^[0-9A-Za-z_-]{1,32}$/);
  });

  it.each([{ amount: 1 }, { price: 1 }, { discount: 0.1 }, { openid: 'o-victim' }, { totalFee: 1 }])('refuses a request carrying %j, creating nothing', async (extra) => {
    const buyer = learner();
    const { reply } = await call(buyer, 'createOrder', { courseId: COURSE, clientRequestKey: randomUUID(), ...extra });
    expect(reply).toMatchObject({ ok: false, code: 'INVALID_INPUT', message: expect.stringContaining(Object.keys(extra)[0]!) });
    expect(await ordersOf(buyer)).toEqual([]);
  });

  it('creates one order for a double tap, even when the calls run at once', async () => {
    const buyer = learner();
    const key = randomUUID();
    const replies = await Promise.all(Array.from({ length: 5 }, () => placeOrder(buyer, { courseId: COURSE }, key)));
    expect(new Set(replies.map((r) => r.data.order.id)).size).toBe(1);
    expect(new Set(replies.map((r) => r.data.payment?.provider === 'cloudPay' && r.data.payment.params.package)).size).toBe(1);
    expect(await ordersOf(buyer)).toHaveLength(1);
  });

  it('refuses a free course, a course not on sale, and an unknown course', async () => {
    const buyer = learner();
    expect((await call(buyer, 'createOrder', { courseId: 'gongkao-intro', clientRequestKey: randomUUID() })).reply).toEqual({
      ok: false,
      code: 'FREE_COURSE',
      message: '这门课程免费，无需购买，可直接学习',
    });
    const draft = uniqueName('draft-course');
    await db.collection('courses').add({ data: { _id: draft, title: '草稿课程', status: 'draft', price: { amount: 1000, includedInMembership: false } } });
    for (const courseId of [draft, 'no-such-course']) {
      expect((await call(buyer, 'createOrder', { courseId, clientRequestKey: randomUUID() })).reply).toMatchObject({ ok: false, code: 'NOT_FOUND' });
    }
    expect(await ordersOf(buyer)).toEqual([]);
  });

  it('refuses a course a member already studies through membership', async () => {
    const member = learner();
    await db.collection('entitlements').add({
      data: { _id: `${member}:membership`, openid: member, kind: 'membership', status: 'active', grantedAt: new Date(), expiresAt: new Date(Date.now() + 86_400_000) },
    });
    expect((await call(member, 'createOrder', { courseId: COURSE, clientRequestKey: randomUUID() })).reply).toEqual({
      ok: false,
      code: 'ALREADY_OWNED',
      message: '这门课程已包含在你的会员中，可直接学习',
    });
  });

  it('refuses a request key already used for another course', async () => {
    const buyer = learner();
    const key = randomUUID();
    await placeOrder(buyer, { courseId: COURSE }, key);
    expect((await call(buyer, 'createOrder', { courseId: 'talk-meeting', clientRequestKey: key })).reply).toMatchObject({ ok: false, code: 'CONFLICT' });
  });
});

describe('paying: createOrder -> wx.requestPayment -> payNotify', () => {
  it('unlocks the course: the order is paid once, the learner has it, and buying it again is refused', async () => {
    const buyer = learner();
    const key = randomUUID();
    const created = await placeOrder(buyer, { courseId: COURSE }, key);
    expect(await viewerOf(buyer, COURSE)).toEqual({ access: null, quote: { amount: PRICE, originalAmount: 4900, reason: 'list' } });

    // wx.requestPayment as the mini-program harness calls it, with what createOrder answered.
    const res = await fetch(`${emulatorUrl()}/gateway/requestPayment`, { method: 'POST', body: JSON.stringify({ openid: buyer, payment: created.data.payment!.params }) });
    expect(await res.json()).toEqual({ errMsg: 'requestPayment:ok' });

    expect(await viewerOf(buyer, COURSE)).toEqual({ access: 'purchased', quote: { amount: 0, reason: 'owned' } });
    const order = await orderOf(created.data.order.id);
    expect(order).toMatchObject({ status: 'paid', payment: { transactionId: expect.stringMatching(/^\d{28}$/), amount: PRICE } });
    expect(order.paidAt).toBeInstanceOf(Date);
    expect(order.history.map((h) => [h.from, h.to, h.reason])).toEqual([
      [null, 'pending', 'created'],
      ['pending', 'paid', 'payment'],
    ]);
    expect(await entitlementsOf(buyer)).toEqual([
      expect.objectContaining({ _id: `${buyer}:course:${COURSE}`, kind: 'course', courseId: COURSE, status: 'active', source: { kind: 'order', orderId: order._id } }),
    ]);
    const [delivery] = await deliveriesOf(order._id);
    expect(delivery!.attempts).toEqual([expect.objectContaining({ outcome: 'acknowledged', result: { errcode: 0, errmsg: 'paid' } })]);

    expect((await call(buyer, 'createOrder', { courseId: COURSE, clientRequestKey: randomUUID() })).reply).toEqual({
      ok: false,
      code: 'ALREADY_OWNED',
      message: '你已购买这门课程，可直接学习',
    });
    // The same tap again finds its paid order, with nothing to pay.
    const again = await placeOrder(buyer, { courseId: COURSE }, key);
    expect(again.data).toEqual({ order: expect.objectContaining({ id: order._id, status: 'paid' }), payment: null });
    expect(await ordersOf(buyer)).toHaveLength(1);
  });

  it('costs at most 9 database requests per purchase (createOrder + payNotify with the grant)', async () => {
    const buyer = learner();
    const created = await placeOrder(buyer, { courseId: 'talk-meeting' });
    await sandboxPay(created.data.order.id);
    const notifyRequests = await firstDeliveryRequests(created.data.order.id);
    console.log(`DB requests per purchase: createOrder ${created.dbRequests} + payNotify ${notifyRequests} = ${created.dbRequests + notifyRequests}`);
    expect(created.dbRequests).toBe(4);
    expect(notifyRequests).toBe(5);
  });

  it('grants once when the notification arrives four times at once', async () => {
    const buyer = learner();
    const created = await placeOrder(buyer, { courseId: COURSE });
    const id = created.data.order.id;
    await sandboxPay(id, { duplicates: 3 });
    const deliveries = await waitFor(() => deliveriesOf(id), allDelivered(4));
    expect(deliveries).toHaveLength(4);
    expect(answersOf(deliveries)).toEqual(['paid', 'replay', 'replay', 'replay']);
    const order = await orderOf(id);
    expect(order.status).toBe('paid');
    expect(order.history.filter((h) => h.to === 'paid')).toHaveLength(1);
    expect(await entitlementsOf(buyer)).toHaveLength(1);
    expect((await viewerOf(buyer, COURSE)).access).toBe('purchased');
  });

  it('tells a learner who subscribed that the purchase went through, once, even when the notification repeats', async () => {
    const buyer = learner();
    await subscribe(buyer, ['order-paid']);
    const created = await placeOrder(buyer, { courseId: COURSE });
    const id = created.data.order.id;
    await sandboxPay(id, { duplicates: 2 });
    await waitFor(() => deliveriesOf(id), allDelivered(3));
    expect(await outboxOf(buyer)).toEqual([
      expect.objectContaining({
        templateId: 'order-paid',
        fromFunction: 'payNotify',
        page: `packages/course/detail/index?id=${COURSE}`,
        data: { character_string1: id, thing2: created.data.order.item.title, amount3: '9.90元', time4: expect.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/) },
      }),
    ]);
  });

  it('grants without a message when the learner did not subscribe', async () => {
    const buyer = learner();
    const created = await placeOrder(buyer, { courseId: COURSE });
    await sandboxPay(created.data.order.id);
    await waitFor(() => deliveriesOf(created.data.order.id), allDelivered(1));
    expect((await viewerOf(buyer, COURSE)).access).toBe('purchased');
    expect(await outboxOf(buyer)).toEqual([]);
  });

  it('grants when the notification arrives late', async () => {
    const buyer = learner();
    const created = await placeOrder(buyer, { courseId: COURSE });
    const id = created.data.order.id;
    await sandboxPay(id, { delayMs: 300 });
    expect((await orderOf(id)).status).toBe('pending');
    expect((await viewerOf(buyer, COURSE)).access).toBeNull();
    await waitFor(() => deliveriesOf(id), allDelivered(1));
    expect((await orderOf(id)).status).toBe('paid');
    expect((await viewerOf(buyer, COURSE)).access).toBe('purchased');
  });

  it('refuses the callback from a learner: nothing changes', async () => {
    const buyer = learner();
    const created = await placeOrder(buyer, { courseId: COURSE });
    const id = created.data.order.id;
    const forged = paymentEvent({ openid: buyer, outTradeNo: id, totalFee: PRICE });
    const reply = await callAs<{ errcode: number }>(buyer, 'payNotify', forged);
    expect(reply.body.result).toMatchObject({ errcode: 403 });
    expect(reply.dbRequests).toBe(0);
    expect((await orderOf(id)).status).toBe('pending');
    expect(await entitlementsOf(buyer)).toEqual([]);
    expect(await incidentsOf(id)).toEqual([]);
  });
});

describe('a payment for a closed order', () => {
  it('cannot happen once closed, unless the payment raced the close: then it still unlocks the course', async () => {
    const buyer = learner();
    const created = await placeOrder(buyer, { courseId: COURSE });
    const id = created.data.order.id;
    const cancelled = await ok<CancelOrderResponse>(buyer, 'cancelOrder', { orderId: id });
    expect(cancelled.data.order).toMatchObject({ id, status: 'closed', closedAt: expect.any(String) });
    // Cancelling again is a no-op; another learner cannot see the order at all.
    expect((await ok<CancelOrderResponse>(buyer, 'cancelOrder', { orderId: id })).data.order.status).toBe('closed');
    expect((await call(learner(), 'cancelOrder', { orderId: id })).reply).toMatchObject({ ok: false, code: 'NOT_FOUND' });
    expect(await sandboxPay(id)).toEqual({ status: 409, body: { error: `trade ${id} is closed (with {"force": true} it is paid anyway)` } });

    await sandboxPay(id, { force: true });
    const order = await orderOf(id);
    expect(order.status).toBe('paid');
    expect(order.history.map((h) => [h.from, h.to, h.reason])).toEqual([
      [null, 'pending', 'created'],
      ['pending', 'closed', 'cancelled by the learner'],
      ['closed', 'paid', 'payment arrived after the order was closed'],
    ]);
    expect((await viewerOf(buyer, COURSE)).access).toBe('purchased');
  });

  it('asks for a refund when the learner already owns the course through another order', async () => {
    const buyer = learner();
    const first = (await placeOrder(buyer, { courseId: COURSE })).data.order.id;
    await ok(buyer, 'cancelOrder', { orderId: first });
    const second = (await placeOrder(buyer, { courseId: COURSE })).data.order.id;
    await sandboxPay(second);
    await sandboxPay(first, { force: true });

    expect(await orderOf(first)).toMatchObject({ status: 'needsRefund', payment: { amount: PRICE } });
    expect(await incidentsOf(first)).toEqual([expect.objectContaining({ kind: 'alreadyOwned', openid: buyer, status: 'open' })]);
    expect(await entitlementsOf(buyer)).toEqual([expect.objectContaining({ status: 'active', source: { kind: 'order', orderId: second } })]);
    const [delivery] = await deliveriesOf(first);
    expect(delivery!.attempts[0]).toMatchObject({ outcome: 'acknowledged', result: { errcode: 0, errmsg: 'needsRefund' } });
  });

  it('refuses to cancel a paid order', async () => {
    const buyer = learner();
    const id = (await placeOrder(buyer, { courseId: COURSE })).data.order.id;
    await sandboxPay(id);
    expect((await call(buyer, 'cancelOrder', { orderId: id })).reply).toMatchObject({ ok: false, code: 'CONFLICT' });
  });
});

describe('payments that must not grant', () => {
  it('records an incident and grants nothing when the amount paid is not the amount quoted', async () => {
    // The only way to pay another amount for an order number is a trade placed under that number before
    // createOrder places its own: the sandbox then keeps the first amount and refuses createOrder's (201).
    const buyer = learner();
    const key = randomUUID();
    const outTradeNo = outTradeNoFor(buyer, key);
    expect((await placeTrade(buyer, outTradeNo, 1)).body.result!.result.resultCode).toBe('SUCCESS');
    expect((await call(buyer, 'createOrder', { courseId: COURSE, clientRequestKey: key })).reply).toEqual({
      ok: false,
      code: 'PAYMENT_UNAVAILABLE',
      message: '暂时无法发起支付，请稍后再试',
    });
    expect((await orderOf(outTradeNo)).status).toBe('pending');

    await sandboxPay(outTradeNo);
    const order = await orderOf(outTradeNo);
    expect(order).toMatchObject({ status: 'needsRefund', payment: { amount: 1 } });
    expect(order.history.map((h) => h.to)).toEqual(['pending', 'needsRefund']);
    expect(await incidentsOf(outTradeNo)).toEqual([
      expect.objectContaining({ kind: 'amountMismatch', openid: buyer, detail: `paid 1 fen, quoted ${PRICE} fen`, status: 'open' }),
    ]);
    expect(await entitlementsOf(buyer)).toEqual([]);
    expect((await viewerOf(buyer, COURSE)).access).toBeNull();
    // Acknowledged: WeChat would deliver the same wrong amount again for a day; the incident is what matters.
    expect(await deliveriesOf(outTradeNo)).toEqual([expect.objectContaining({ status: 'delivered' })]);
  });

  it('grants nothing for a callback of an order nobody paid, invoked as the platform with every field right', async () => {
    const buyer = learner();
    const id = (await placeOrder(buyer, { courseId: COURSE })).data.order.id;
    const forged = paymentEvent({ openid: buyer, outTradeNo: id, totalFee: PRICE });
    // Another function or an admin script invokes payNotify with no learner in its context, as cloud pay does.
    expect((await callFunction('payNotify', forged)).result).toEqual({ errcode: 0, errmsg: 'unconfirmed' });
    // Nor does a wrong amount or payer make an order nobody paid wait for a refund.
    expect((await callFunction('payNotify', { ...forged, totalFee: 1 })).result).toEqual({ errcode: 0, errmsg: 'unconfirmed' });
    expect((await callFunction('payNotify', { ...forged, subOpenid: learner() })).result).toEqual({ errcode: 0, errmsg: 'unconfirmed' });
    const order = await orderOf(id);
    expect(order.status).toBe('pending');
    expect(order.payment).toBeUndefined();
    expect(await entitlementsOf(buyer)).toEqual([]);
    expect(await incidentsOf(id)).toEqual([expect.objectContaining({ kind: 'suspiciousEvent', provider: 'cloudPay', status: 'open' })]);

    // The learner then pays: what cloud pay confirms is applied, and a forged copy of another amount is only a replay.
    await pay(id);
    expect(await orderOf(id)).toMatchObject({ status: 'paid', payment: { amount: PRICE } });
    const [trade] = (await payLedger()).trades.filter((t) => t.outTradeNo === id);
    expect((await callFunction('payNotify', { ...forged, transactionId: trade!.transactionId, totalFee: 1 })).result).toEqual({ errcode: 0, errmsg: 'replay' });
    expect(await orderOf(id)).toMatchObject({ status: 'paid', payment: { amount: PRICE } });
    expect(await entitlementsOf(buyer)).toHaveLength(1);
  });

  it('records an incident for a payment of an order number never issued', async () => {
    const payer = learner();
    const outTradeNo = `X${Date.now()}`;
    await placeTrade(payer, outTradeNo, 500);
    await sandboxPay(outTradeNo, { duplicates: 1 });
    await waitFor(() => deliveriesOf(outTradeNo), allDelivered(2));
    expect(await incidentsOf(outTradeNo)).toEqual([expect.objectContaining({ kind: 'unknownOrder', status: 'open' })]);
    expect(await entitlementsOf(payer)).toEqual([]);
  });
});
