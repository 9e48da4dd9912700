import { createHmac, randomBytes } from 'node:crypto';
import { pushEvent, pushRoutes } from '../push';
import type { EmulatorContext } from '../service';
import { SandboxError } from './cloudpay';
import type { VirtualPaymentConfig } from './config';
import type { Ledger, VirtualOrder, VirtualRefund } from './ledger';
import type { DeliveryOptions, Notifier } from './notify';
import { hmacSha256, newTransactionId } from './wechat';

const DELIVER_EVENT = 'xpay_goods_deliver_notify';
const REFUND_EVENT = 'xpay_refund_notify';

/** xpay's errcodes: 268490002 a field is wrong or the order does not exist (数据不存在), 268490003 pay_sig is wrong. */
const PARAM_ERROR = 268490002;
const SIGN_ERROR = 268490003;
const xpayError = (errcode: number, errmsg: string) => ({ errcode, errmsg });

/**
 * A learner's session_key in the sandbox. WeChat issues one per login; here it is derived from the AppID
 * and the openid, so it is stable and the same wherever it is computed. Functions get it as in WeChat,
 * from `sns/jscode2session` with a `wx.login` code (weixin.ts); tests may read it from
 * `GET /__emulator/xpay/session-key?openid=...`.
 */
export function sessionKeyFor(appId: string, openid: string): string {
  return createHmac('sha256', `emulator-session-key:${appId}`).update(openid).digest().subarray(0, 16).toString('base64');
}

export interface VirtualPaymentRequest {
  openid: string;
  mode: unknown;
  signData: unknown;
  paySig: unknown;
  signature: unknown;
}

/** What `wx.requestVirtualPayment` answers: ok, or its fail errMsg and errCode. */
export type VirtualPaymentAnswer = { errMsg: string; errCode?: number };

const fail = (errCode: number, reason: string): VirtualPaymentAnswer => ({ errMsg: `requestVirtualPayment:fail ${reason}`, errCode });

interface SignData {
  offerId: string;
  buyQuantity: number;
  env: 0 | 1;
  currencyType: string;
  productId: string;
  goodsPrice: number;
  outTradeNo: string;
  attach: string;
}

function parseSignData(text: string): SignData | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return 'signData 不是合法的 JSON';
  }
  if (!value || typeof value !== 'object') return 'signData 不是 JSON 对象';
  const d = value as Record<string, unknown>;
  const positiveInt = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v > 0;
  if (typeof d.offerId !== 'string' || !d.offerId) return 'signData.offerId 缺失';
  if (!positiveInt(d.buyQuantity)) return 'signData.buyQuantity 必须是正整数';
  if (d.env !== 0 && d.env !== 1) return 'signData.env 必须是 0 或 1';
  if (d.currencyType !== 'CNY') return 'signData.currencyType 必须是 CNY';
  if (typeof d.productId !== 'string' || !d.productId) return 'signData.productId 缺失';
  if (!positiveInt(d.goodsPrice)) return 'signData.goodsPrice 必须是正整数（单位：分）';
  if (typeof d.outTradeNo !== 'string' || !/^[0-9A-Za-z_-]{1,32}$/.test(d.outTradeNo)) return 'signData.outTradeNo 缺失或格式错误';
  if (d.attach !== undefined && typeof d.attach !== 'string') return 'signData.attach 必须是字符串';
  return { ...(d as unknown as SignData), attach: typeof d.attach === 'string' ? d.attach : '' };
}

/**
 * The mini-program virtual payment sandbox (道具直购, mode `short_series_goods`): the learner's
 * `wx.requestVirtualPayment` is checked as WeChat checks it (paySig with the AppKey, signature with the
 * learner's session_key), the order is recorded as paid, and `xpay_goods_deliver_notify` is pushed to the
 * routed function until it answers `{ErrCode: 0}`. The server APIs (`xpay/query_order`,
 * `xpay/refund_order`) check `pay_sig`; a refund completes (or fails) on the control endpoint or after
 * `refundAutoCompleteMs`, and `xpay_refund_notify` is pushed like a delivery.
 */
export class VirtualPayment {
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly ctx: EmulatorContext,
    private readonly ledger: Ledger,
    private readonly notifier: Notifier,
    private readonly config: VirtualPaymentConfig,
  ) {}

  private routeOf(event: string): string {
    const functionName = pushRoutes(this.ctx)[event];
    if (!functionName) throw new Error(`no message push route for ${event}: add it to cloud.config.json messagePush`);
    return functionName;
  }

  async request(req: VirtualPaymentRequest, options: DeliveryOptions): Promise<VirtualPaymentAnswer> {
    if (typeof req.signData !== 'string') return fail(-15001, 'PARAM_ERROR signData 必须是字符串');
    const data = parseSignData(req.signData);
    if (typeof data === 'string') return fail(-15001, `PARAM_ERROR ${data}`);
    if (req.paySig !== hmacSha256(this.config.appKey, `requestVirtualPayment&${req.signData}`)) {
      return fail(-15006, 'PAY_SIG_INVALID');
    }
    if (req.signature !== hmacSha256(sessionKeyFor(this.ctx.appId, req.openid), req.signData)) return fail(-15005, 'SIGNATURE_INVALID');
    if (req.mode !== 'short_series_goods') return fail(-15001, 'PARAM_ERROR 沙箱只支持 mode short_series_goods（道具直购）');
    if (data.offerId !== this.config.offerId) return fail(-15001, `PARAM_ERROR offerId 不是本小程序的 ${this.config.offerId}`);
    if (data.env !== this.config.env) return fail(-15001, `PARAM_ERROR env 应为 ${this.config.env}`);
    const functionName = this.routeOf(DELIVER_EVENT);

    await this.ledger.ready();
    if (this.ledger.get('virtualOrders', data.outTradeNo)) return fail(-15001, 'PARAM_ERROR outTradeNo 已使用');
    const now = Date.now();
    const fee = data.goodsPrice * data.buyQuantity;
    const order: VirtualOrder = {
      outTradeNo: data.outTradeNo,
      wxOrderId: `xpay${randomBytes(12).toString('hex')}`,
      openid: req.openid,
      env: data.env,
      offerId: data.offerId,
      productId: data.productId,
      buyQuantity: data.buyQuantity,
      goodsPrice: data.goodsPrice,
      attach: data.attach,
      status: 2,
      createTime: Math.floor(now / 1000),
      paidTime: Math.floor(now / 1000),
      transactionId: newTransactionId(),
      leftFee: fee,
    };
    await this.ledger.put('virtualOrders', order.outTradeNo, order);
    const fields = {
      FromUserName: order.openid,
      OpenId: order.openid,
      OutTradeNo: order.outTradeNo,
      Env: order.env,
      WeChatPayInfo: { MchOrderNo: order.wxOrderId, TransactionId: order.transactionId, PaidTime: order.paidTime },
      GoodsInfo: { ProductId: order.productId, Quantity: order.buyQuantity, OrigPrice: fee, ActualPrice: fee, Attach: order.attach },
    };
    await this.notifier.start(
      { kind: 'virtualPayment', key: order.outTradeNo, functionName, event: { Event: DELIVER_EVENT, ...fields } },
      () => pushEvent(this.ctx, DELIVER_EVENT, fields),
      acknowledged,
      this.config.notifyRetryDelaysMs,
      options,
      () => this.delivered(order.outTradeNo),
    );
    return { errMsg: 'requestVirtualPayment:ok' };
  }

  /** The function acknowledged the delivery: the order becomes 4 (delivered), as `query_order` shows. */
  private async delivered(outTradeNo: string) {
    const order = this.ledger.get('virtualOrders', outTradeNo);
    if (order && order.status === 2) await this.ledger.put('virtualOrders', outTradeNo, { ...order, status: 4, provideTime: Math.floor(Date.now() / 1000) });
  }

  /** A server API's JSON body, if `pay_sig` = hmac_sha256(AppKey, uri + '&' + body) signs it. */
  private signedBody(uri: string, body: string, paySig: string | null): Record<string, unknown> | { errcode: number; errmsg: string } {
    if (paySig !== hmacSha256(this.config.appKey, `${uri}&${body}`)) return xpayError(SIGN_ERROR, 'pay_sig 签名错误');
    try {
      const value = JSON.parse(body) as unknown;
      if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
    } catch {
      // answered below
    }
    return xpayError(47001, 'data format error');
  }

  /** `POST /xpay/query_order?access_token=&pay_sig=`: a payment or a refund by its number, for the learner and env asked. */
  queryOrder(body: string, paySig: string | null) {
    const query = this.signedBody('/xpay/query_order', body, paySig);
    if ('errcode' in query) return query;
    const mine = (o: { openid: string; env: number }) => o.openid === query.openid && o.env === query.env;
    const byId = (id: string, wxId: string) => (query.order_id !== undefined ? id === query.order_id : wxId === query.wx_order_id);
    const order = this.ledger.list('virtualOrders').find((o) => mine(o) && byId(o.outTradeNo, o.wxOrderId));
    if (order) return { errcode: 0, errmsg: 'ok', order: this.orderView(order) };
    const refund = this.ledger.list('virtualRefunds').find((r) => mine(r) && byId(r.refundOrderId, r.wxRefundId));
    if (refund) return { errcode: 0, errmsg: 'ok', order: this.refundView(refund) };
    return xpayError(PARAM_ERROR, '数据不存在');
  }

  private orderView(order: VirtualOrder) {
    const fee = order.goodsPrice * order.buyQuantity;
    return {
      order_id: order.outTradeNo,
      create_time: order.createTime,
      update_time: order.provideTime ?? order.paidTime,
      status: order.status,
      biz_type: 0,
      order_fee: fee,
      coupon_fee: 0,
      paid_fee: fee,
      order_type: 0,
      refund_fee: 0,
      paid_time: order.paidTime,
      provide_time: order.provideTime ?? 0,
      env_type: order.env,
      left_fee: order.leftFee,
      wx_order_id: order.wxOrderId,
      channel_order_id: order.wxOrderId,
      wxpay_order_id: order.transactionId,
    };
  }

  private refundView(refund: VirtualRefund) {
    return {
      order_id: refund.refundOrderId,
      create_time: refund.createTime,
      update_time: refund.doneTime ?? refund.createTime,
      status: refund.status,
      biz_type: 0,
      order_fee: refund.refundFee,
      coupon_fee: 0,
      paid_fee: 0,
      order_type: 1,
      refund_fee: refund.refundFee,
      paid_time: refund.doneTime ?? 0,
      provide_time: 0,
      biz_meta: refund.bizMeta,
      env_type: refund.env,
      left_fee: 0,
      wx_order_id: refund.wxRefundId,
    };
  }

  /**
   * `POST /xpay/refund_order?access_token=&pay_sig=`: starts a refund of a paid order. `left_fee` must be
   * what query_order shows left; the same `refund_order_id` again answers the same refund.
   */
  async refundOrder(body: string, paySig: string | null) {
    const req = this.signedBody('/xpay/refund_order', body, paySig);
    if ('errcode' in req) return req;
    await this.ledger.ready();
    const refundOrderId = req.refund_order_id;
    if (typeof refundOrderId !== 'string' || !/^[0-9A-Za-z_-]{8,32}$/.test(refundOrderId)) return xpayError(PARAM_ERROR, 'refund_order_id 长度需为 8-32，只能包含字母、数字、_、-');
    const order = this.ledger
      .list('virtualOrders')
      .find((o) => o.openid === req.openid && o.env === req.env && (req.order_id !== undefined ? o.outTradeNo === req.order_id : o.wxOrderId === req.wx_order_id));
    if (!order) return xpayError(PARAM_ERROR, '数据不存在');
    const reply = (r: VirtualRefund) => ({ errcode: 0, errmsg: 'ok', refund_order_id: r.refundOrderId, refund_wx_order_id: r.wxRefundId, pay_order_id: order.outTradeNo, pay_wx_order_id: order.wxOrderId });
    const existing = this.ledger.get('virtualRefunds', refundOrderId);
    if (existing) return existing.outTradeNo === order.outTradeNo ? reply(existing) : xpayError(PARAM_ERROR, 'refund_order_id 已用于其他订单');
    if (req.left_fee !== order.leftFee) return xpayError(PARAM_ERROR, `left_fee 应为当前剩余可退金额 ${order.leftFee}`);
    const refundFee = req.refund_fee;
    if (typeof refundFee !== 'number' || !Number.isInteger(refundFee) || refundFee <= 0 || refundFee > order.leftFee) return xpayError(PARAM_ERROR, `refund_fee 需在 (0, ${order.leftFee}] 之间`);
    for (const field of ['refund_reason', 'req_from', 'biz_meta'] as const) if (typeof req[field] !== 'string') return xpayError(PARAM_ERROR, `${field} 缺失`);
    const refund: VirtualRefund = {
      refundOrderId,
      wxRefundId: `xpayrefund${randomBytes(10).toString('hex')}`,
      outTradeNo: order.outTradeNo,
      openid: order.openid,
      env: order.env,
      refundFee,
      bizMeta: String(req.biz_meta),
      status: 1,
      createTime: Math.floor(Date.now() / 1000),
    };
    await this.ledger.put('virtualRefunds', refundOrderId, refund);
    await this.ledger.put('virtualOrders', order.outTradeNo, { ...order, leftFee: order.leftFee - refundFee });
    if (this.config.refundAutoCompleteMs !== undefined) {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        this.completeRefund(refundOrderId).catch((e: unknown) => console.error('[emulator] virtual refund auto-complete failed', e));
      }, this.config.refundAutoCompleteMs);
      this.timers.add(timer);
    }
    return reply(refund);
  }

  /**
   * The refund is over: done (status 8, and the payment 5 once nothing is left), or with `fail` failed
   * (status 7, the fee back in `left_fee`); `xpay_refund_notify` is pushed until acknowledged.
   */
  async completeRefund(refundOrderId: string, options: DeliveryOptions & { fail?: boolean } = {}) {
    await this.ledger.ready();
    const refund = this.ledger.get('virtualRefunds', refundOrderId);
    if (!refund) throw new SandboxError(404, `no refund ${refundOrderId}`);
    if (refund.status !== 1) throw new SandboxError(409, `refund ${refundOrderId} is already over`);
    const functionName = this.routeOf(REFUND_EVENT);
    const now = Math.floor(Date.now() / 1000);
    const done: VirtualRefund = options.fail ? { ...refund, status: 7, doneTime: now, retMsg: '退款失败' } : { ...refund, status: 8, doneTime: now };
    const order = this.ledger.get('virtualOrders', refund.outTradeNo)!;
    await this.ledger.put('virtualRefunds', refundOrderId, done);
    if (options.fail) await this.ledger.put('virtualOrders', order.outTradeNo, { ...order, leftFee: order.leftFee + refund.refundFee });
    else if (order.leftFee === 0) await this.ledger.put('virtualOrders', order.outTradeNo, { ...order, status: 5 });
    const fields = {
      FromUserName: refund.openid,
      OpenId: refund.openid,
      WxRefundId: refund.wxRefundId,
      MchRefundId: refund.refundOrderId,
      WxOrderId: order.wxOrderId,
      MchOrderId: order.outTradeNo,
      RefundFee: refund.refundFee,
      RetCode: options.fail ? 1 : 0,
      RetMsg: done.retMsg ?? 'success',
      RefundStartTimestamp: refund.createTime,
      RefundSuccTimestamp: options.fail ? 0 : now,
      WxpayRefundTransactionId: options.fail ? '' : newTransactionId(),
      RetryTimes: 0,
    };
    const deliveries = await this.notifier.start(
      { kind: 'virtualRefund', key: refundOrderId, functionName, event: { Event: REFUND_EVENT, ...fields } },
      () => pushEvent(this.ctx, REFUND_EVENT, fields),
      acknowledged,
      this.config.notifyRetryDelaysMs,
      options,
    );
    return { refund: done, deliveries };
  }

  close() {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }
}

const acknowledged = (result: unknown) => !!result && typeof result === 'object' && (result as { ErrCode?: unknown }).ErrCode === 0;
