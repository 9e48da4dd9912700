import { hmacSha256, type WeChatAnswer, type WeChatApi } from '../../server/wechat';
import * as z from '../contracts/schema';
import { DomainError } from '../errors';
import type { OrderRefund } from '../orders/model';
import type { NotificationReading } from './cloudpay';
import { PaymentProviderError, RefundRefusedError, type PaymentConfirmation, type PaymentProvider, type RefundConfirmation } from './provider';
import { productIdFor, refundOrderIdFor } from './virtualgoods';

/** The message push events the product routes to `xpayNotify` (cloud.config.json `messagePush`). */
export const DELIVER_EVENT = 'xpay_goods_deliver_notify';
export const REFUND_EVENT = 'xpay_refund_notify';

export interface VirtualPaySettings {
  /** 虚拟支付 > 基本配置: the offerId in signData */
  offerId: string;
  /** 0 production, 1 sandbox: signData, every API call, and the env a delivery must come from */
  env: 0 | 1;
}

/** query_order's `status`: 2 paid, 3 delivering, 4 delivered, then 5/8 refunded or 7 refund failed: all once paid. */
const PAID_STATUSES = new Set([2, 3, 4, 5, 7, 8]);
/** query_order, an order or refund it does not know: 数据不存在. */
const NOT_FOUND = 268490002;
/** query_order's `order_type` of a refund order. */
const REFUND_ORDER = 1;
/** xpay's "repeated operation": the refund was asked for already (the same refund_order_id). */
const REPEATED = 268490004;

const queriedOrderSchema = z.looseObject({
  order_id: z.string(),
  status: z.int(),
  paid_fee: z.int(),
  refund_fee: z.optional(z.int()),
  left_fee: z.optional(z.int()),
  paid_time: z.int(),
  /** 0 a payment, 1 a refund */
  order_type: z.optional(z.int()),
  wx_order_id: z.optional(z.string()),
  wxpay_order_id: z.optional(z.string()),
});
type QueriedOrder = z.output<typeof queriedOrderSchema>;

/**
 * The payment's transaction id, the same from the delivery push (`WeChatPayInfo.TransactionId`) and from
 * query_order (`wxpay_order_id`), so that a push arriving after reconciliation is a replay. An order paid
 * outside WeChat Pay (Apple on iOS) has neither; one order number is paid at most once, so it stands in.
 */
const transactionIdOf = (wxpayTransaction: string | undefined, outTradeNo: string) => wxpayTransaction || `xpay-${outTradeNo}`;

/** Runs a call to WeChat, reporting any failure as the provider's. */
async function calling<T>(what: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    if (e instanceof PaymentProviderError || e instanceof DomainError) throw e;
    throw new PaymentProviderError('virtualPayment', `${what}: ${(e as Error).message}`);
  }
}

const failure = (what: string, answer: WeChatAnswer) => new PaymentProviderError('virtualPayment', `${what}: ${answer.errcode} ${answer.errmsg ?? ''}`);

/**
 * Mini-program virtual payment (道具直购, `wx.requestVirtualPayment`), then the `xpay_goods_deliver_notify`
 * push to xpayNotify. Server APIs (`xpay/query_order`, `xpay/refund_order`) over HTTPS with an access_token
 * and `pay_sig` (server/wechat.ts): they have no cloud call. There is no close API: an order nobody paid
 * simply stays unpaid, and a payment arriving after our close is applied as any late payment is.
 */
export function virtualPayProvider(api: WeChatApi, settings: VirtualPaySettings): PaymentProvider {
  /** query_order asks about one learner's order (a payment's or a refund's): another learner's number is not found. */
  async function query(openid: string, orderId: string): Promise<QueriedOrder | null> {
    const answer = await calling(`query_order ${orderId}`, () => api.xpay('/xpay/query_order', { openid, env: settings.env, order_id: orderId }));
    if (answer.errcode === NOT_FOUND) return null;
    if (answer.errcode) throw failure(`query_order ${orderId}`, answer);
    const found = queriedOrderSchema.safeParse(answer.order);
    if (!found.success) throw new PaymentProviderError('virtualPayment', `query_order ${orderId}: no readable order: ${z.prettifyError(found.error)}`);
    return found.data;
  }

  return {
    name: 'virtualPayment',
    async prepare(order, paying) {
      if (!paying.loginCode) throw new DomainError('INVALID_INPUT', '缺少微信登录凭证，请重新打开小程序后再试');
      const session = await calling('code2Session', () => api.code2Session(paying.loginCode!));
      // A code is bound to the learner who got it; another learner's would sign for the wrong account.
      if (session.openid !== order.openid) throw new PaymentProviderError('virtualPayment', `login code of ${session.openid} sent by ${order.openid}`);
      const signData = JSON.stringify({
        offerId: settings.offerId,
        buyQuantity: 1,
        env: settings.env,
        currencyType: 'CNY',
        productId: productIdFor(order.item, order.amount),
        goodsPrice: order.amount,
        outTradeNo: order.outTradeNo,
        attach: order.item.kind === 'membership' ? `plan:${order.item.planId}` : `${order.item.kind}:${order.item.courseId}`,
      });
      const paySig = await calling('paySig', async () => api.paySig('requestVirtualPayment', signData));
      return { provider: 'virtualPayment', params: { mode: 'short_series_goods', signData, paySig, signature: hmacSha256(session.sessionKey, signData) } };
    },
    async close(order) {
      const found = await query(order.openid, order.outTradeNo);
      return found && PAID_STATUSES.has(found.status) ? 'paid' : 'closed';
    },
    async queryPayment({ outTradeNo, openid }) {
      const found = await query(openid, outTradeNo);
      // A refund order's number is not a payment, whatever its status says.
      if (!found || found.order_type === REFUND_ORDER || !PAID_STATUSES.has(found.status)) return null;
      return {
        provider: 'virtualPayment',
        outTradeNo,
        transactionId: transactionIdOf(found.wxpay_order_id, outTradeNo),
        amount: found.paid_fee,
        // query_order is asked about this learner's order: only they can have paid it.
        payer: openid,
        paidAt: new Date(found.paid_time * 1000),
      };
    },
    async refund(order, refund) {
      const paid = await query(order.openid, order.outTradeNo);
      if (!paid || !PAID_STATUSES.has(paid.status)) throw new RefundRefusedError('virtualPayment', '微信侧没有这笔支付', `refund ${refund.outRefundNo}: ${order.outTradeNo} is not paid at WeChat`);
      const refundOrderId = refundOrderIdFor(refund.outRefundNo);
      const answer = await calling(`refund_order ${refundOrderId}`, () =>
        api.xpay('/xpay/refund_order', {
          openid: order.openid,
          order_id: order.outTradeNo,
          refund_order_id: refundOrderId,
          left_fee: paid.left_fee ?? paid.paid_fee,
          refund_fee: refund.amount,
          biz_meta: refund.outRefundNo,
          ...refundReason(refund),
          env: settings.env,
        }),
      );
      if (!answer.errcode || answer.errcode === REPEATED) return;
      // -1 is WeChat's "system busy"; anything else is a refusal that asking again will not change.
      if (answer.errcode === -1) throw failure(`refund_order ${refundOrderId}`, answer);
      throw new RefundRefusedError('virtualPayment', String(answer.errmsg ?? answer.errcode), `refund_order ${refundOrderId} of ${order.outTradeNo}: ${answer.errcode} ${answer.errmsg ?? ''}`);
    },
    async queryRefund({ outTradeNo, openid, outRefundNo }) {
      const refundOrderId = refundOrderIdFor(outRefundNo);
      if (!openid) throw new PaymentProviderError('virtualPayment', `query_order ${refundOrderId}: the learner is needed to ask about a refund`);
      const found = await query(openid, refundOrderId);
      if (!found) return null;
      if (found.status === 7) return 'failed';
      if (found.status !== 5 && found.status !== 8) return 'processing';
      if (found.refund_fee === undefined) throw new PaymentProviderError('virtualPayment', `query_order ${refundOrderId}: a refund done without refund_fee`);
      return {
        provider: 'virtualPayment',
        outTradeNo,
        outRefundNo,
        refundId: found.wx_order_id ?? found.order_id,
        amount: found.refund_fee,
        refundedAt: new Date(found.paid_time * 1000),
      };
    },
  };
}

/** refund_order's reason codes: 3 "意愿问题，用户主动退款" / 2 the learner asked; 5 "其他" / 1 staff (人工客服) started it. */
const refundReason = (refund: OrderRefund) => (refund.requestedBy === 'learner' ? { refund_reason: '3', req_from: '2' } : { refund_reason: '5', req_from: '1' });

/** A field some sources spell differently (OpenId / openid, Env / env): the documentation and SDKs disagree. */
const either = (e: Record<string, unknown>, ...names: string[]) => names.map((n) => e[n]).find((v) => v !== undefined);

const deliverySchema = z.looseObject({
  OutTradeNo: z.string().check(z.minLength(1)),
  openid: z.string().check(z.minLength(1)),
  env: z.int(),
  payInfo: z.optional(z.looseObject({ TransactionId: z.optional(z.string()), PaidTime: z.optional(z.int()) })),
  GoodsInfo: z.looseObject({ ActualPrice: z.int() }),
  CreateTime: z.int(),
});

/**
 * Reads an `xpay_goods_deliver_notify` push: the learner (`OpenId`) paid `GoodsInfo.ActualPrice` fen for
 * `OutTradeNo`. A push from the other env (sandbox payments reach a production app's route too) is not a
 * payment of ours.
 */
export function readVirtualPaymentDelivery(event: Record<string, unknown>, settings: VirtualPaySettings): NotificationReading {
  const parsed = deliverySchema.safeParse({
    ...event,
    openid: either(event, 'OpenId', 'openid'),
    env: either(event, 'Env', 'env'),
    payInfo: either(event, 'WeChatPayInfo', 'WechatPayInfo'),
  });
  if (!parsed.success) {
    return { ok: false, reason: 'malformed', ...(typeof event.OutTradeNo === 'string' ? { outTradeNo: event.OutTradeNo } : {}), detail: z.prettifyError(parsed.error) };
  }
  const e = parsed.data;
  if (e.env !== settings.env) return { ok: false, reason: 'merchantMismatch', outTradeNo: e.OutTradeNo, detail: `Env ${e.env}, expected ${settings.env}` };
  return {
    ok: true,
    confirmation: {
      provider: 'virtualPayment',
      outTradeNo: e.OutTradeNo,
      transactionId: transactionIdOf(e.payInfo?.TransactionId, e.OutTradeNo),
      // One product per order (buyQuantity 1): what the learner paid for it.
      amount: e.GoodsInfo.ActualPrice,
      payer: e.openid,
      paidAt: new Date((e.payInfo?.PaidTime ?? e.CreateTime) * 1000),
    } satisfies PaymentConfirmation,
  };
}

const refundSchema = z.looseObject({
  MchOrderId: z.string().check(z.minLength(1)),
  MchRefundId: z.string().check(z.minLength(1)),
  WxRefundId: z.string().check(z.minLength(1)),
  RefundFee: z.int(),
  RetCode: z.int(),
  RetMsg: z.optional(z.string()),
  RefundSuccTimestamp: z.optional(z.int()),
});

export type VirtualRefundReading =
  /** `xpayRefundId` is xpay's refund order id: `refundOrderIdFor(order.refund.outRefundNo)` when it is the order's refund */
  | { ok: true; outcome: 'refunded'; outTradeNo: string; xpayRefundId: string; refund: Omit<RefundConfirmation, 'outRefundNo'> }
  | { ok: true; outcome: 'failed'; outTradeNo: string; xpayRefundId: string; detail: string }
  | { ok: false; outTradeNo?: string; detail: string };

/** Reads an `xpay_refund_notify` push: the refund of `MchOrderId` numbered `MchRefundId` succeeded (RetCode 0) or failed. */
export function readVirtualRefund(event: Record<string, unknown>): VirtualRefundReading {
  const parsed = refundSchema.safeParse(event);
  if (!parsed.success) return { ok: false, ...(typeof event.MchOrderId === 'string' ? { outTradeNo: event.MchOrderId } : {}), detail: `malformed: ${z.prettifyError(parsed.error)}` };
  const e = parsed.data;
  if (e.RetCode !== 0) return { ok: true, outcome: 'failed', outTradeNo: e.MchOrderId, xpayRefundId: e.MchRefundId, detail: `RetCode ${e.RetCode} ${e.RetMsg ?? ''}`.trim() };
  if (!e.RefundSuccTimestamp) return { ok: false, outTradeNo: e.MchOrderId, detail: `refund ${e.MchRefundId} succeeded without RefundSuccTimestamp` };
  return {
    ok: true,
    outcome: 'refunded',
    outTradeNo: e.MchOrderId,
    xpayRefundId: e.MchRefundId,
    refund: { provider: 'virtualPayment', outTradeNo: e.MchOrderId, refundId: e.WxRefundId, amount: e.RefundFee, refundedAt: new Date(e.RefundSuccTimestamp * 1000) },
  };
}
