import { createHmac, randomBytes } from 'node:crypto';
import type { Store } from '../database/store';
import { pushEvent, pushRoutes } from '../push';
import type { EmulatorContext } from '../service';
import type { VirtualPaymentConfig } from './config';
import { Ledger, type VirtualOrder } from './ledger';
import type { DeliveryOptions, Notifier } from './notify';
import { hmacSha256, newTransactionId } from './wechat';

const DELIVER_EVENT = 'xpay_goods_deliver_notify';

/**
 * A learner's session_key in the sandbox. WeChat issues one per login (`code2Session`); here it is derived
 * from the AppID and the openid, so it is stable and the same wherever it is computed. Functions and
 * tests get it from `GET /__emulator/xpay/session-key?openid=...`.
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
 * routed function until it answers `{ErrCode: 0}`.
 */
export class VirtualPayment {
  constructor(
    private readonly ctx: EmulatorContext,
    private readonly ledger: Ledger,
    private readonly notifier: Notifier,
    private readonly config: VirtualPaymentConfig,
  ) {}

  async request(req: VirtualPaymentRequest, options: DeliveryOptions): Promise<VirtualPaymentAnswer> {
    if (typeof req.signData !== 'string') return fail(-15001, 'PARAM_ERROR signData 必须是字符串');
    const data = parseSignData(req.signData);
    if (typeof data === 'string') return fail(-15001, `PARAM_ERROR ${data}`);
    if (req.paySig !== hmacSha256(this.config.sandboxAppKey, `requestVirtualPayment&${req.signData}`)) {
      return fail(-15006, 'PAY_SIG_INVALID');
    }
    if (req.signature !== hmacSha256(sessionKeyFor(this.ctx.appId, req.openid), req.signData)) return fail(-15005, 'SIGNATURE_INVALID');
    if (req.mode !== 'short_series_goods') return fail(-15001, 'PARAM_ERROR 沙箱只支持 mode short_series_goods（道具直购）');
    if (data.offerId !== this.config.offerId) return fail(-15001, `PARAM_ERROR offerId 不是本小程序的 ${this.config.offerId}`);
    if (data.env !== this.config.env) return fail(-15001, `PARAM_ERROR env 应为 ${this.config.env}`);
    const functionName = pushRoutes(this.ctx)[DELIVER_EVENT];
    if (!functionName) throw new Error(`no message push route for ${DELIVER_EVENT}: add it to cloud.config.json messagePush`);

    await this.ledger.ready();
    if (this.ledger.get('virtualOrders', data.outTradeNo)) return fail(-15001, 'PARAM_ERROR outTradeNo 已使用');
    const now = Date.now();
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
    };
    await this.ledger.put('virtualOrders', order.outTradeNo, order);
    const fee = order.goodsPrice * order.buyQuantity;
    const fields = {
      FromUserName: order.openid,
      OpenId: order.openid,
      OutTradeNo: order.outTradeNo,
      Env: order.env,
      WeChatPayInfo: { MchOrderNo: order.wxOrderId, TransactionId: newTransactionId(), PaidTime: order.paidTime },
      GoodsInfo: { ProductId: order.productId, Quantity: order.buyQuantity, OrigPrice: fee, ActualPrice: fee, Attach: order.attach },
    };
    await this.notifier.start(
      { kind: 'virtualPayment', key: order.outTradeNo, functionName, event: { Event: DELIVER_EVENT, ...fields } },
      () => pushEvent(this.ctx, DELIVER_EVENT, fields),
      (result) => !!result && typeof result === 'object' && (result as { ErrCode?: unknown }).ErrCode === 0,
      this.config.notifyRetryDelaysMs,
      options,
      () => this.delivered(order.outTradeNo),
    );
    return { errMsg: 'requestVirtualPayment:ok' };
  }

  /** The function acknowledged the delivery: the order becomes 4 (delivered), as `query_order` shows. */
  private async delivered(outTradeNo: string) {
    const order = this.ledger.get('virtualOrders', outTradeNo);
    if (order && order.status !== 4) await this.ledger.put('virtualOrders', outTradeNo, { ...order, status: 4, provideTime: Math.floor(Date.now() / 1000) });
  }

  /** `POST /xpay/query_order?access_token=&pay_sig=`: pay_sig = hmac_sha256(AppKey, uri + '&' + body). */
  queryOrder(body: string, paySig: string | null) {
    if (paySig !== hmacSha256(this.config.sandboxAppKey, `/xpay/query_order&${body}`)) {
      return { errcode: -1, errmsg: 'pay_sig 签名错误' };
    }
    let query: unknown;
    try {
      query = JSON.parse(body);
    } catch {
      return { errcode: 47001, errmsg: 'data format error' };
    }
    return queryVirtualOrder(this.ctx.store, query as QueryOrder);
  }
}

export interface QueryOrder {
  openid?: string;
  env?: number;
  order_id?: string;
  wx_order_id?: string;
}

/**
 * `xpay/query_order` over the sandbox's orders (for a caller that has already checked the signature, such
 * as an open API gateway). Answers WeChat's shape: `{errcode, errmsg, order}`.
 */
export function queryVirtualOrder(store: Store, query: QueryOrder) {
  const orders = new Ledger(store).list('virtualOrders');
  const order = orders.find(
    (o) =>
      (query.order_id !== undefined ? o.outTradeNo === query.order_id : o.wxOrderId === query.wx_order_id) &&
      o.openid === query.openid &&
      o.env === query.env,
  );
  if (!order) return { errcode: 268490002, errmsg: '数据不存在' };
  const fee = order.goodsPrice * order.buyQuantity;
  return {
    errcode: 0,
    errmsg: 'ok',
    order: {
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
      left_fee: fee,
      wx_order_id: order.wxOrderId,
    },
  };
}
