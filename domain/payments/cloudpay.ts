import { randomBytes } from 'node:crypto';
import type { CloudPayAnswer, CloudPayApi } from '../../server/cloudpay';
import type { Order } from '../orders/model';
import * as z from '../contracts/schema';
import { PaymentProviderError, type PaymentConfirmation, type PaymentProvider } from './provider';

/** The function cloud pay notifies when a learner pays (cloudfunctions/payNotify). */
export const PAY_NOTIFY_FUNCTION = 'payNotify';

export interface CloudPaySettings {
  /** the sub-merchant bound to the environment (cloud.config.json `cloudPay.subMchId`) */
  subMchId: string;
  /** the environment whose `payNotify` receives the callback */
  envId: string;
}

const nonce = () => randomBytes(16).toString('hex');

/** WeChat Pay's `body` is at most 128 characters. */
const paymentBody = (order: Order) => `课程：${order.item.title}`.slice(0, 128);

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
    async queryPayment(order) {
      const answer = await api.queryOrder({ subMchId: settings.subMchId, nonceStr: nonce(), outTradeNo: order.outTradeNo });
      // ORDERNOTEXIST: unifiedOrder never registered the trade (it failed), so nobody could pay it.
      if (answer.returnCode === 'SUCCESS' && answer.resultCode === 'FAIL' && answer.errCodeDes?.includes('不存在')) return null;
      const failed = failure(answer);
      if (failed !== undefined) throw new PaymentProviderError('cloudPay', `queryOrder ${order.outTradeNo}: ${failed}`);
      if (answer.tradeState !== 'SUCCESS') return null;
      const paid = paidTradeSchema.safeParse(answer);
      if (!paid.success) throw new PaymentProviderError('cloudPay', `queryOrder ${order.outTradeNo}: SUCCESS without a readable payment: ${z.prettifyError(paid.error)}`);
      return confirmationOf(paid.data);
    },
  };
}

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
