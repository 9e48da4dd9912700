import { randomUUID } from 'node:crypto';
import type { Reply } from '../../domain/contracts/result';
import type { Order } from '../../domain/orders/model';
import { ORDER_TIMEOUT_MS, RECONCILE_AFTER_MS, type SettleReport } from '../../domain/orders/settle';
import { entitlementsOf, fireSettleOrders, orderOf, pay, payLedger, paymentEvent, placeOrder, SUB_MCH_ID } from '../support/commerce';
import { ownEmulatorForFile } from '../support/own-emulator';
import { callAs, connectSdk, uniqueName } from '../support/sdk';

/**
 * The settleOrders timer, fired through the emulator's timer endpoint against cloud pay's sandbox:
 * reconciliation of payments whose callback was lost, and the close of orders left unpaid. Its own
 * emulator: a run reconciles every order older than 5 minutes, which other files' orders become in a long
 * test run.
 */
ownEmulatorForFile('settle');
const sdk = () => connectSdk();

const COURSE = 'excel-basics';
const learner = () => uniqueName('o-settle');

/** The learner orders the course and leaves it unpaid; answers the order id. */
const unpaidOrder = async (openid: string) => (await placeOrder(openid, { courseId: COURSE })).data.order.id;

/** The trade's state as the merchant sees it (`cloud.cloudPay.queryOrder`, the sandbox driven as a script). */
async function tradeState(outTradeNo: string): Promise<string> {
  const { cloudPay } = sdk().cloud as unknown as { cloudPay: { queryOrder(data: Record<string, unknown>): Promise<{ tradeState: string }> } };
  return (await cloudPay.queryOrder({ subMchId: SUB_MCH_ID, nonceStr: randomUUID().replace(/-/g, ''), outTradeNo })).tradeState;
}

/**
 * Data setup, not a mock: the order is made "old" by writing its `createdAt` back in time with the admin
 * SDK, as if the learner had ordered that long ago; everything else (the trade, the timer) is real.
 */
async function age(outTradeNo: string, ms: number) {
  await sdk().database().collection('orders').doc(outTradeNo).update({ data: { createdAt: new Date(Date.now() - ms) } });
}

describe('settleOrders (timer)', () => {
  it('grants a paid order whose callback was lost, closes a stale unpaid one at cloud pay and here, and leaves a fresh one alone', async () => {
    const [paidBuyer, staleBuyer, freshBuyer, recentBuyer] = [learner(), learner(), learner(), learner()];
    const lost = await unpaidOrder(paidBuyer);
    const stale = await unpaidOrder(staleBuyer);
    const fresh = await unpaidOrder(freshBuyer);
    const recent = await unpaidOrder(recentBuyer);

    // The learner pays; WeChat's notification never arrives. Only queryOrder knows.
    await pay(lost, { deliver: false });
    expect(await tradeState(lost)).toBe('SUCCESS');
    expect((await orderOf(lost)).status).toBe('pending');
    // Paid, and older than the timeout: it must be completed, never closed.
    await age(lost, ORDER_TIMEOUT_MS + 60_000);
    await age(stale, ORDER_TIMEOUT_MS + 60_000);
    // Old enough to be asked about, not old enough to be closed.
    await age(recent, RECONCILE_AFTER_MS + 60_000);

    const { report, dbRequests } = await fireSettleOrders();
    const noRefunds = { refunded: 0, replay: 0, incident: 0, processing: 0, returned: 0, resubmitted: 0, queued: 0, failed: 0 };
    expect(report).toEqual({ paid: 1, replay: 0, needsRefund: 0, incident: 0, refunding: 0, closed: 1, waiting: 1, failed: 0, refunds: noRefunds });
    // Two page queries at once (pending orders, refunds under way) + the payment's transaction (5) + the
    // close's transaction (start, read, write, commit).
    console.log(`DB requests of one settleOrders run (1 reconciled, 1 closed, 1 waiting): ${dbRequests}`);
    expect(dbRequests).toBe(11);

    const paid = await orderOf(lost);
    expect(paid).toMatchObject({ status: 'paid', payment: { transactionId: expect.any(String), amount: paid.amount } });
    expect(paid.history.map((h) => h.to)).toEqual(['pending', 'paid']);
    expect(await entitlementsOf(paidBuyer)).toEqual([expect.objectContaining({ status: 'active', source: { kind: 'order', orderId: lost } })]);

    const closed = await orderOf(stale);
    expect(closed).toMatchObject({ status: 'closed', closedAt: expect.any(Date) });
    expect(closed.history.at(-1)).toMatchObject({ from: 'pending', to: 'closed', reason: 'timed out unpaid' });
    expect(await tradeState(stale)).toBe('CLOSED');
    expect(await entitlementsOf(staleBuyer)).toEqual([]);

    for (const id of [fresh, recent]) {
      expect((await orderOf(id)).status).toBe('pending');
      expect(await tradeState(id)).toBe('NOTPAY');
    }

    // A second run (or two overlapping) finds nothing new to do; the paid one is no longer pending.
    const again = await Promise.all([fireSettleOrders(), fireSettleOrders()]);
    for (const { report } of again) expect(report).toMatchObject({ paid: 0, closed: 0, waiting: 1, failed: 0 });
    expect(await entitlementsOf(paidBuyer)).toHaveLength(1);
  });

  it('treats the lost callback arriving after reconciliation as a replay', async () => {
    const buyer = learner();
    const id = await unpaidOrder(buyer);
    await pay(id, { deliver: false });
    await age(id, RECONCILE_AFTER_MS + 60_000);
    expect((await fireSettleOrders()).report).toMatchObject({ paid: 1, failed: 0 });

    // What WeChat would have sent: the trade's own notification, delivered late to payNotify.
    const { trades } = await payLedger();
    const trade = trades.find((t) => t.outTradeNo === id)!;
    const late = await sdk().callFunction('payNotify', paymentEvent({ openid: buyer, outTradeNo: id, totalFee: trade.totalFee, transactionId: trade.transactionId!, timeEnd: trade.timeEnd! }));
    expect(late.result).toEqual({ errcode: 0, errmsg: 'replay' });
    expect((await orderOf(id)).history.map((h) => h.to)).toEqual(['pending', 'paid']);
    expect(await entitlementsOf(buyer)).toHaveLength(1);
  });

  it('closes a stale order whose trade cloud pay never registered (unifiedOrder failed)', async () => {
    const buyer = learner();
    const id = `O${randomUUID().replace(/-/g, '')}`;
    const createdAt = new Date(Date.now() - ORDER_TIMEOUT_MS - 60_000);
    // Data setup: the order createOrder stored before its unifiedOrder failed, so cloud pay has no such trade.
    const order: Omit<Order, '_id'> = {
      outTradeNo: id,
      openid: buyer,
      clientRequestKey: randomUUID(),
      item: { kind: 'course', courseId: COURSE, title: 'Excel 零基础到高效办公' },
      amount: 990,
      status: 'pending',
      provider: 'cloudPay',
      createdAt,
      history: [{ from: null, to: 'pending', at: createdAt, reason: 'created' }],
    };
    await sdk().database().collection('orders').doc(id).set({ data: order });
    expect((await fireSettleOrders()).report).toMatchObject({ closed: 1, failed: 0 });
    expect((await orderOf(id)).status).toBe('closed');
  });

  it('refuses a learner calling it', async () => {
    const buyer = learner();
    const id = await unpaidOrder(buyer);
    await age(id, ORDER_TIMEOUT_MS + 60_000);
    const reply = await callAs<Reply<SettleReport>>(buyer, 'settleOrders', {});
    expect(reply.body.result).toEqual({ ok: false, code: 'FORBIDDEN', message: '无权调用' });
    expect(reply.dbRequests).toBe(0);
    expect((await orderOf(id)).status).toBe('pending');
    expect(await tradeState(id)).toBe('NOTPAY');
  });
});
