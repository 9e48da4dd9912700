import { randomUUID } from 'node:crypto';
import type { Entitlement } from '../../domain/access/entitlements';
import type { CourseDetail, LessonView } from '../../domain/contracts/catalog';
import type { CreateOrderResponse, GetMyOrderResponse } from '../../domain/contracts/orders';
import type { RequestRefundResponse, ReviewRefundResponse } from '../../domain/contracts/refunds';
import type { Reply } from '../../domain/contracts/result';
import type { Gift } from '../../domain/gifts/model';
import type { Incident } from '../../domain/orders/incidents';
import type { Order } from '../../domain/orders/model';
import type { SettleReport } from '../../domain/orders/settle';
import type { Delivery, Refund, Trade, VirtualOrder, VirtualRefund } from '../../emulator/src/pay/ledger';
import { callAs, connectSdk, control, emulatorUrl, waitFor } from './sdk';
import { getJson, postJson } from './wx/http';
import { staffOk, type StaffAccount } from './staff';

/**
 * Buying and refunding against the test emulator: functions called as learners and staff, cloud pay's
 * sandbox taking and giving back the money (README, "Sandbox controls"), and reads of what that left in
 * the order and access ledgers (admin SDK) and the sandbox's own ledger.
 *
 * Function calls and the sandbox's ledger go through `fetch` (test/support/sdk.ts): functions tests only.
 * The sandbox controls, the admin SDK's reads and writes and `outboxOf` also work in the mini program's
 * jsdom, which has no fetch. The database is the one of the emulator the calling file uses at the time (a
 * file may run an emulator of its own).
 */
const db = () => connectSdk().database();

/** Cloud pay's sub-merchant of the environment (cloud.config.json `cloudPay.subMchId`). */
export const SUB_MCH_ID = '1900000109';

/** What `createOrder` sells: a course, the same course as a gift, or a membership plan. */
export type Purchase = { courseId: string; gift?: true } | { planId: string };

/** Calls a function as the learner would from the mini program; answers its reply and the DB requests it made. */
export async function call<T>(openid: string, name: string, data: Record<string, unknown> = {}) {
  const reply = await callAs<Reply<T>>(openid, name, data);
  return { reply: reply.body.result!, dbRequests: reply.dbRequests };
}

/** `call`, failing unless the function succeeded; answers its data and the DB requests it made. */
export async function ok<T>(openid: string, name: string, data: Record<string, unknown> = {}) {
  const { reply, dbRequests } = await call<T>(openid, name, data);
  if (!reply.ok) throw new Error(`${name} failed: ${reply.code} ${reply.message}`);
  return { data: reply.data, dbRequests };
}

/** `createOrder` for `what`, one tap (`clientRequestKey`); answers the order and how to pay it. */
export const placeOrder = (openid: string, what: Purchase, clientRequestKey = randomUUID()) =>
  ok<CreateOrderResponse>(openid, 'createOrder', { ...what, clientRequestKey });

/**
 * What an ordering function sends to `cloudPay.unifiedOrder` (camelCase; the SDK sends snake_case): 9.90 CNY,
 * with the test fixture `pay-callback` notified, unless `extra` says otherwise.
 */
export const unifiedOrderOf = (outTradeNo: string, extra: Record<string, unknown> = {}) => ({
  body: '课程：TypeScript 入门',
  outTradeNo,
  spbillCreateIp: '127.0.0.1',
  subMchId: SUB_MCH_ID,
  totalFee: 990,
  envId: 'local-env',
  functionName: 'pay-callback',
  nonceStr: randomUUID().replace(/-/g, ''),
  ...extra,
});

/** Places a cloud pay trade as a learner's ordering function would, with payNotify as its callback (test fixture pay-order). */
export const placeTrade = (openid: string, outTradeNo: string, totalFee: number) =>
  callAs<{ ok: boolean; result: { resultCode: string } }>(openid, 'pay-order', {
    api: 'unifiedOrder',
    data: unifiedOrderOf(outTradeNo, { body: '课程', totalFee, functionName: 'payNotify' }),
  });

/**
 * A sandbox control: the learner pays the trade (`duplicates`, `delayMs`, `deliver: false`, `force` shape
 * the notification). Answers the sandbox's answer once the first delivery attempt is over.
 */
export const sandboxPay = (outTradeNo: string, options: Record<string, unknown> = {}) =>
  postJson(`${emulatorUrl()}/__emulator/pay/trades/${outTradeNo}/pay`, options);

/** `sandboxPay`, which the sandbox must accept. */
export async function pay(outTradeNo: string, options: Record<string, unknown> = {}) {
  expect((await sandboxPay(outTradeNo, options)).status).toBe(200);
}

/** Orders `what` and pays it in the sandbox; answers the order id once payNotify handled the payment. */
export async function buy(openid: string, what: Purchase): Promise<string> {
  const id = (await placeOrder(openid, what)).data.order.id;
  await pay(id);
  return id;
}

/**
 * The learner pays and cloud pay notifies payNotify `1 + duplicates` times at once; answers what payNotify
 * answered to each notification, sorted, once all were delivered.
 */
export async function payWithDuplicates(outTradeNo: string, duplicates: number): Promise<string[]> {
  await pay(outTradeNo, { duplicates });
  return answersOf(await waitFor(() => deliveriesOf(outTradeNo), allDelivered(duplicates + 1)));
}

/** A sandbox control: cloud pay completes the refund, the money back with the learner. */
export const sandboxCompleteRefund = (outRefundNo: string, options: Record<string, unknown> = {}) =>
  postJson(`${emulatorUrl()}/__emulator/pay/refunds/${outRefundNo}/complete`, options);

/**
 * Cloud pay completes the order's first refund and notifies refundNotify `1 + duplicates` times at once;
 * answers the callbacks' answers, sorted, and the DB requests of the one that completed it.
 */
export async function completeRefund(orderId: string, duplicates = 0) {
  const outRefundNo = `${orderId}-R1`;
  expect((await sandboxCompleteRefund(outRefundNo, { duplicates })).status).toBe(200);
  const deliveries = await waitFor(() => deliveriesOf(outRefundNo), allDelivered(duplicates + 1));
  const completing = deliveries.flatMap((d) => d.attempts).find((a) => a.outcome === 'acknowledged' && errmsgOf(a.result) === 'refunded')!;
  return { answers: answersOf(deliveries), dbRequests: await dbRequestsOf(completing.invocationId!) };
}

/** Cloud pay gives up on the order's first refund (REFUNDCLOSE) and notifies refundNotify; answers the callback's answers. */
export async function failRefund(orderId: string) {
  const outRefundNo = `${orderId}-R1`;
  expect((await sandboxCompleteRefund(outRefundNo, { fail: true })).status).toBe(200);
  return answersOf(await waitFor(() => deliveriesOf(outRefundNo), allDelivered(1)));
}

/** The sandbox's ledger: cloud pay's trades and refunds, virtual payment's orders and refunds, and every notification. */
export const payLedger = () =>
  control<{ trades: Trade[]; refunds: Refund[]; virtualOrders: VirtualOrder[]; virtualRefunds: VirtualRefund[]; deliveries: Delivery[] }>('GET', '/pay/ledger');

/** The notifications of a payment (`key`: outTradeNo) or a refund (outRefundNo, refundOrderId), oldest first. */
export const deliveriesOf = async (key: string) => (await payLedger()).deliveries.filter((d) => d.key === key);

export const refundsOf = async (outTradeNo: string) => (await payLedger()).refunds.filter((r) => r.outTradeNo === outTradeNo);

/** For `waitFor`: all `count` notifications were delivered. */
export const allDelivered = (count: number) => (ds: Delivery[]) => ds.length === count && ds.every((d) => d.status === 'delivered');

const errmsgOf = (result: unknown) => (result as { errmsg?: string } | undefined)?.errmsg;

/** What the function answered to each notification it acknowledged (cloud pay's `errmsg`), sorted: duplicates race. */
export const answersOf = (deliveries: Delivery[]) =>
  deliveries.flatMap((d) => d.attempts.filter((a) => a.outcome === 'acknowledged').map((a) => errmsgOf(a.result)!)).sort();

/** The DB requests an invocation made, as the emulator recorded them. */
export const dbRequestsOf = async (invocationId: string) => (await control<{ dbRequests: number }>('GET', `/invocations/${invocationId}`)).dbRequests;

/** The DB requests of the function's first attempt at the first notification for `key`. */
export const firstDeliveryRequests = async (key: string) => dbRequestsOf((await deliveriesOf(key))[0]!.attempts[0]!.invocationId!);

/**
 * Cloud pay's payment callback event (the sandbox's own shape) for `openid` paying `totalFee` fen for
 * `outTradeNo`: what cloud pay sends once paid, or what a forger invoking the callback sends.
 */
export const paymentEvent = (p: { openid: string; outTradeNo: string; totalFee: number; transactionId?: string; timeEnd?: string }) => ({
  returnCode: 'SUCCESS',
  resultCode: 'SUCCESS',
  subMchId: SUB_MCH_ID,
  subOpenid: p.openid,
  outTradeNo: p.outTradeNo,
  transactionId: p.transactionId ?? '4200000000202612060000000001',
  totalFee: p.totalFee,
  timeEnd: p.timeEnd ?? '20261206120000',
});

/** The refund callback's event as cloud pay sends it (the sandbox's own shape), for a refund of the ledger. */
export const refundEvent = (r: Refund, refundStatus: string) => ({
  returnCode: 'SUCCESS',
  subMchId: SUB_MCH_ID,
  transactionId: r.transactionId,
  outTradeNo: r.outTradeNo,
  refundId: r.refundId,
  outRefundNo: r.outRefundNo,
  totalFee: r.totalFee,
  refundFee: r.refundFee,
  refundStatus,
  ...(r.successTime ? { successTime: r.successTime } : {}),
});

/** Fires the settleOrders timer as the platform would; answers its report and the DB requests of the run. */
export async function fireSettleOrders() {
  const run = await control<{ status: string; invocationId: string; result: Reply<SettleReport> }>('POST', '/timers/settleOrders/everyMinute/fire', {});
  expect(run.status).toBe('ok');
  if (!run.result.ok) throw new Error(`settleOrders: ${run.result.code} ${run.result.message}`);
  return { report: run.result.data, dbRequests: await dbRequestsOf(run.invocationId) };
}

export const requestRefund = (openid: string, orderId: string, reason = '内容和预期不一样') => call<RequestRefundResponse>(openid, 'requestRefund', { orderId, reason });

/** Staff decide on a refund request, from the console. */
export const review = (staff: StaffAccount, orderId: string, approve: boolean, note?: string) =>
  staffOk<ReviewRefundResponse>(staff, 'reviewRefund', { orderId, approve, ...(note ? { note } : {}) });

export const myOrder = (openid: string, orderId: string) => ok<GetMyOrderResponse>(openid, 'getMyOrder', { orderId });

/** What the course page tells the learner: their access and the price they would pay. */
export const viewerOf = async (openid: string, courseId: string) => (await ok<CourseDetail>(openid, 'getCourse', { courseId })).data.viewer;

export const lessonAccess = async (openid: string, lessonId: string) => (await ok<LessonView>(openid, 'getLesson', { lessonId })).data.access;

/** Data setup, not a mock: the purchase made at `paidAt`, as if that much time had passed. */
export const setPaidAt = (orderId: string, paidAt: Date) => db().collection('orders').doc(orderId).update({ data: { paidAt } });

/** An entitlement as a refund leaves it: revoked, with the time (domain/refunds/effects.ts). */
type HeldEntitlement = Entitlement & { revokedAt?: Date };

/** The order, which must exist. */
export const orderOf = async (id: string) => (await db().collection<Order>('orders').doc(id).get()).data;
export const ordersOf = async (openid: string) => (await db().collection<Order>('orders').where({ openid }).get()).data;
export const entitlementsOf = async (openid: string) => (await db().collection<Entitlement>('entitlements').where({ openid }).get()).data;
/** The learner's entitlement to the course, if they ever held it. */
export const courseEntitlementOf = async (openid: string, courseId: string) =>
  (await db().collection<HeldEntitlement>('entitlements').where({ _id: `${openid}:course:${courseId}` }).get()).data[0];
/** The learner's membership, which must exist. */
export const membershipOf = async (openid: string) => (await db().collection<HeldEntitlement>('entitlements').doc(`${openid}:membership`).get()).data;
/** The gift, which must exist. */
export const giftOf = async (id: string) => (await db().collection<Gift>('gifts').doc(id).get()).data;
export const incidentsOf = async (outTradeNo: string) => (await db().collection<Incident>('incidents').where({ outTradeNo }).get()).data;

/** The subscription messages sent to the learner (the emulator's message outbox). */
export const outboxOf = async (openid: string) => (await getJson<Array<Record<string, unknown>>>(`${emulatorUrl()}/__emulator/openapi/outbox?touser=${openid}`)).body;
