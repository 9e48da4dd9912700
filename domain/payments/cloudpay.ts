import { randomBytes } from 'node:crypto';
import type { CloudPayAnswer, CloudPayApi } from '../../server/cloudpay';
import type { Order } from '../orders/model';
import * as z from '../contracts/schema';
import { PaymentProviderError, RefundRefusedError, type PaymentConfirmation, type PaymentProvider, type RefundConfirmation } from './provider';

/** The function cloud pay notifies when a learner pays (cloudfunctions/payNotify). */
export const PAY_NOTIFY_FUNCTION = 'payNotify';
/** The function cloud pay notifies when a refund is done or failed (cloudfunctions/refundNotify). */
export const REFUND_NOTIFY_FUNCTION = 'refundNotify';

export interface CloudPaySettings {
  /** the sub-merchant bound to the environment (cloud.config.json `cloudPay.subMchId`) */
  subMchId: string;
  /** the environment whose `payNotify` and `refundNotify` receive the callbacks */
  envId: string;
}

const nonce = () => randomBytes(16).toString('hex');

/** What the learner's payment record (微信支付账单) says was bought, by item kind. */
const BODY_PREFIX: Record<Order['item']['kind'], string> = { course: '课程', membership: '会员', gift: '赠送课程' };

/** WeChat Pay's `body` is at most 128 characters. */
const paymentBody = (order: Order) => `${BODY_PREFIX[order.item.kind]}：${order.item.title}`.slice(0, 128);

function failure(answer: CloudPayAnswer): string | undefined {
  if (answer.returnCode !== 'SUCCESS') return answer.returnMsg ?? 'return_code FAIL';
  if (answer.resultCode !== 'SUCCESS') return answer.errCodeDes ?? 'result_code FAIL';
  return undefined;
}

/** Cloud pay (`cloud.cloudPay`): `unifiedOrder` -> `wx.requestPayment`, then a callback to `payNotify`. */
export function cloudPayProvider(api: CloudPayApi, settings: CloudPaySettings): PaymentProvider {
  return {
    name: 'cloudPay',
    async prepare(order) {
      const answer = await api.unifiedOrder({
        body: paymentBody(order),
        outTradeNo: order.outTradeNo,
        totalFee: order.amount,
        // Cloud pay takes the payer from the calling learner; WeChat Pay wants an IP, which it does not check for JSAPI.
        spbillCreateIp: '127.0.0.1',
        subMchId: settings.subMchId,
        nonceStr: nonce(),
        envId: settings.envId,
        functionName: PAY_NOTIFY_FUNCTION,
      });
      const failed = failure(answer);
      if (failed !== undefined || !answer.payment) throw new PaymentProviderError('cloudPay', `unifiedOrder ${order.outTradeNo}: ${failed ?? 'no payment in the answer'}`);
      return { provider: 'cloudPay', params: answer.payment };
    },
    async close(order) {
      const answer = await api.closeOrder({ subMchId: settings.subMchId, nonceStr: nonce(), outTradeNo: order.outTradeNo });
      // Closing a trade the learner already paid is refused with ORDERPAID; closing a closed one is fine, and
      // so is a trade unifiedOrder never registered (ORDERNOTEXIST: it failed, so nobody can pay it).
      if (answer.returnCode === 'SUCCESS' && answer.resultCode === 'FAIL' && answer.errCodeDes?.includes('已支付')) return 'paid';
      const failed = failure(answer);
      if (failed !== undefined && !answer.errCodeDes?.includes('已关闭') && !answer.errCodeDes?.includes('不存在')) throw new PaymentProviderError('cloudPay', `closeOrder ${order.outTradeNo}: ${failed}`);
      return 'closed';
    },
    async queryPayment({ outTradeNo }) {
      const answer = await api.queryOrder({ subMchId: settings.subMchId, nonceStr: nonce(), outTradeNo });
      // ORDERNOTEXIST: unifiedOrder never registered the trade (it failed), so nobody could pay it.
      if (answer.returnCode === 'SUCCESS' && answer.resultCode === 'FAIL' && answer.errCodeDes?.includes('不存在')) return null;
      const failed = failure(answer);
      if (failed !== undefined) throw new PaymentProviderError('cloudPay', `queryOrder ${outTradeNo}: ${failed}`);
      // REFUND: paid, then refunded (in part or whole): the payment happened all the same.
      if (answer.tradeState !== 'SUCCESS' && answer.tradeState !== 'REFUND') return null;
      const paid = paidTradeSchema.safeParse(answer);
      if (!paid.success) throw new PaymentProviderError('cloudPay', `queryOrder ${outTradeNo}: ${answer.tradeState} without a readable payment: ${z.prettifyError(paid.error)}`);
      return confirmationOf(paid.data);
    },
    async refund(order, refund) {
      if (!order.payment) throw new RefundRefusedError('cloudPay', '订单没有支付记录', `refund ${refund.outRefundNo}: order ${order._id} has no payment`);
      const answer = await api.refund({
        subMchId: settings.subMchId,
        nonceStr: nonce(),
        outTradeNo: order.outTradeNo,
        outRefundNo: refund.outRefundNo,
        totalFee: order.payment.amount,
        refundFee: refund.amount,
        envId: settings.envId,
        functionName: REFUND_NOTIFY_FUNCTION,
      });
      const failed = failure(answer);
      if (failed === undefined) return;
      const message = `refund ${refund.outRefundNo} of ${order.outTradeNo}: ${failed}`;
      // A business refusal is final, except those WeChat Pay asks to retry with the same number (SYSTEMERROR,
      // documented as 接口返回错误; BIZERR_NEED_RETRY, FREQUENCY_LIMITED): the SDK hides err_code, so they are
      // told by their description.
      if (answer.returnCode === 'SUCCESS' && !/系统|重试|频率|繁忙|接口返回错误/.test(failed)) throw new RefundRefusedError('cloudPay', failed, message);
      throw new PaymentProviderError('cloudPay', message);
    },
    async queryRefund({ outTradeNo, outRefundNo }) {
      const answer = await api.queryRefund({ subMchId: settings.subMchId, nonceStr: nonce(), outRefundNo });
      // REFUNDNOTEXIST: the request never reached WeChat Pay (its description, since the SDK hides err_code).
      if (answer.returnCode === 'SUCCESS' && answer.resultCode === 'FAIL' && /退款订单查询失败|不存在|not exist/i.test(answer.errCodeDes ?? '')) return null;
      const failed = failure(answer);
      if (failed !== undefined) throw new PaymentProviderError('cloudPay', `queryRefund ${outRefundNo}: ${failed}`);
      const found = queriedRefundSchema.safeParse(firstRefund(answer));
      if (!found.success || found.data.outRefundNo !== outRefundNo) {
        throw new PaymentProviderError('cloudPay', `queryRefund ${outRefundNo}: no readable refund in the answer${found.success ? '' : `: ${z.prettifyError(found.error)}`}`);
      }
      // That number refunds another trade: no refund of the trade asked about.
      if (found.data.outTradeNo !== undefined && found.data.outTradeNo !== outTradeNo) return null;
      const r = found.data;
      if (r.refundStatus === 'PROCESSING') return 'processing';
      if (r.refundStatus !== 'SUCCESS') return 'failed';
      if (!r.refundSuccessTime) throw new PaymentProviderError('cloudPay', `queryRefund ${outRefundNo}: SUCCESS without refund_success_time`);
      return { provider: 'cloudPay', outTradeNo, outRefundNo, refundId: r.refundId, amount: r.refundFee, refundedAt: beijingDashedTime(r.refundSuccessTime) };
    },
  };
}

/** One refund of a `queryRefund` answer: WeChat Pay v2 numbers each refund's fields (`refundStatus_0`); cloud pay has been seen answering lists (`refundStatusList`). */
function firstRefund(answer: Record<string, unknown>): Record<string, unknown> {
  const field = (name: string) => answer[`${name}_0`] ?? (answer[`${name}List`] as unknown[] | undefined)?.[0];
  return { outTradeNo: answer.outTradeNo, ...Object.fromEntries(['outRefundNo', 'refundId', 'refundFee', 'refundStatus', 'refundSuccessTime'].map((name) => [name, field(name)])) };
}

const queriedRefundSchema = z.object({
  /** the trade refunded: one per answer, unnumbered */
  outTradeNo: z.optional(z.string()),
  outRefundNo: z.string(),
  refundId: z.string().check(z.minLength(1)),
  refundFee: z.int(),
  refundStatus: z.string(),
  refundSuccessTime: z.optional(z.string()),
});

/** A paid trade as both the callback event and `queryOrder`'s answer describe it (camelCase); other fields are let through. */
const paidTradeSchema = z.looseObject({
  subOpenid: z.string().check(z.minLength(1)),
  outTradeNo: z.string().check(z.minLength(1)),
  transactionId: z.string().check(z.minLength(1)),
  totalFee: z.int(),
  timeEnd: z.string().check(z.regex(/^\d{14}$/)),
});

/** The callback event, as cloud pay hands it to the function. */
const notificationSchema = z.extend(paidTradeSchema, {
  returnCode: z.string(),
  resultCode: z.optional(z.string()),
  subMchId: z.string(),
});

/** WeChat Pay's `time_end` (yyyyMMddHHmmss, Beijing time). */
function beijingTime(compact: string): Date {
  const [, y, mo, d, h, mi, s] = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(compact)!;
  return new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}+08:00`);
}

/** A refund's `success_time` (yyyy-MM-dd HH:mm:ss, Beijing time). */
const beijingDashedTime = (dashed: string) => new Date(`${dashed.replace(' ', 'T')}+08:00`);
const DASHED_TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

export type NotificationReading =
  | { ok: true; confirmation: PaymentConfirmation }
  /** not a successful payment of our merchant: nothing to apply; `outTradeNo` when the event names one */
  | { ok: false; reason: 'malformed' | 'notSuccess' | 'merchantMismatch'; outTradeNo?: string; detail: string };

/** Reads a cloud pay callback event: a successful payment for our sub-merchant becomes a confirmation. */
export function readCloudPayNotification(event: unknown, subMchId: string): NotificationReading {
  const parsed = notificationSchema.safeParse(event);
  if (!parsed.success) {
    const outTradeNo = (event as { outTradeNo?: unknown } | null)?.outTradeNo;
    return { ok: false, reason: 'malformed', ...(typeof outTradeNo === 'string' ? { outTradeNo } : {}), detail: z.prettifyError(parsed.error) };
  }
  const e = parsed.data;
  if (e.returnCode !== 'SUCCESS' || e.resultCode !== 'SUCCESS') {
    return { ok: false, reason: 'notSuccess', outTradeNo: e.outTradeNo, detail: `returnCode ${e.returnCode}, resultCode ${String(e.resultCode)}` };
  }
  if (e.subMchId !== subMchId) {
    return { ok: false, reason: 'merchantMismatch', outTradeNo: e.outTradeNo, detail: `subMchId ${e.subMchId}, expected ${subMchId}` };
  }
  return { ok: true, confirmation: confirmationOf(e) };
}

/** A paid trade as our confirmation: `subOpenid` is the learner (`openid` is the payer under the service provider's AppID). */
function confirmationOf(trade: z.output<typeof paidTradeSchema>): PaymentConfirmation {
  return { provider: 'cloudPay', outTradeNo: trade.outTradeNo, transactionId: trade.transactionId, amount: trade.totalFee, payer: trade.subOpenid, paidAt: beijingTime(trade.timeEnd) };
}

/** The refund callback event: WeChat Pay's refund notification with its `req_info` decrypted, camelCase (no attach, no payer). */
const refundNotificationSchema = z.looseObject({
  returnCode: z.string(),
  subMchId: z.string(),
  outTradeNo: z.string().check(z.minLength(1)),
  outRefundNo: z.string().check(z.minLength(1)),
  refundId: z.string().check(z.minLength(1)),
  refundFee: z.int(),
  refundStatus: z.string(),
  successTime: z.optional(z.string().check(z.regex(DASHED_TIME))),
});

export type RefundNotificationReading =
  | { ok: true; outcome: 'refunded'; confirmation: RefundConfirmation }
  /** the refund closed or went abnormal (REFUNDCLOSE, CHANGE): the money did not go back this way */
  | { ok: true; outcome: 'failed'; outTradeNo: string; outRefundNo: string; detail: string }
  /** not a refund notification of our merchant we can act on; `outTradeNo` when the event names one */
  | { ok: false; reason: 'malformed' | 'notSuccess' | 'merchantMismatch'; outTradeNo?: string; detail: string };

/** Reads a cloud pay refund callback event: a refund of our sub-merchant that is done, or one that failed. */
export function readCloudPayRefundNotification(event: unknown, subMchId: string): RefundNotificationReading {
  const parsed = refundNotificationSchema.safeParse(event);
  if (!parsed.success) {
    const outTradeNo = (event as { outTradeNo?: unknown } | null)?.outTradeNo;
    return { ok: false, reason: 'malformed', ...(typeof outTradeNo === 'string' ? { outTradeNo } : {}), detail: z.prettifyError(parsed.error) };
  }
  const e = parsed.data;
  if (e.returnCode !== 'SUCCESS') return { ok: false, reason: 'notSuccess', outTradeNo: e.outTradeNo, detail: `returnCode ${e.returnCode}` };
  if (e.subMchId !== subMchId) return { ok: false, reason: 'merchantMismatch', outTradeNo: e.outTradeNo, detail: `subMchId ${e.subMchId}, expected ${subMchId}` };
  if (e.refundStatus === 'REFUNDCLOSE' || e.refundStatus === 'CHANGE') {
    return { ok: true, outcome: 'failed', outTradeNo: e.outTradeNo, outRefundNo: e.outRefundNo, detail: `refundStatus ${e.refundStatus}` };
  }
  if (e.refundStatus !== 'SUCCESS' || !e.successTime) {
    return { ok: false, reason: 'notSuccess', outTradeNo: e.outTradeNo, detail: `refundStatus ${e.refundStatus}, successTime ${String(e.successTime)}` };
  }
  return {
    ok: true,
    outcome: 'refunded',
    confirmation: { provider: 'cloudPay', outTradeNo: e.outTradeNo, outRefundNo: e.outRefundNo, refundId: e.refundId, amount: e.refundFee, refundedAt: beijingDashedTime(e.successTime) },
  };
}
