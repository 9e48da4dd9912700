import { createHmac } from 'node:crypto';
import { invalidParam } from '../errors';
import type { EmulatorContext } from '../service';
import type { CloudPayConfig } from './config';
import type { Ledger, Refund, Trade } from './ledger';
import type { DeliveryOptions, Notifier, Send } from './notify';
import { compactTime, dashedTime, newPrepayId, newRefundId, newTransactionId, nonce, sign } from './wechat';

/** A sandbox control refused: the HTTP status and why. */
export class SandboxError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

type Wire = Record<string, unknown>;

/** Cloud pay acts as a WeChat Pay service provider: its AppID and merchant id appear in answers and callbacks. */
const SERVICE_PROVIDER = { appid: 'wx00000000000c10d0', mchId: '1800000001' };

/** `[0-9A-Za-z_-]`, WeChat Pay's rule for merchant order numbers (refund numbers also allow `|*@`). */
const TRADE_NO = /^[0-9A-Za-z_-]{1,32}$/;
const REFUND_NO = /^[0-9A-Za-z_\-|*@]{1,64}$/;
const MAX_PARTIAL_REFUNDS = 50;

const TRADE_STATE_DESC: Record<string, string> = {
  SUCCESS: '支付成功',
  NOTPAY: '订单未支付',
  CLOSED: '订单已关闭',
  REFUND: '订单发生过退款',
};

/** A field as WeChat Pay reads it: strings, or numbers written as strings. */
function text(data: Wire, key: string): string | undefined {
  const value = data[key];
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  return undefined;
}

const isRecord = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/** A reply refused before any business check (`return_code: FAIL`). */
class Refusal extends Error {
  constructor(readonly reply: Wire) {
    super(String(reply.return_msg ?? reply.err_code_des));
  }
}

/**
 * WeChat Pay v2 through cloud calls (`cloud.cloudPay.*`, action `wx.wxPayApi`), against a sandbox merchant:
 * orders, payments played by the learner (or a test), callbacks with WeChat's retries, closes and refunds.
 * Requests and answers are snake_case JSON; the SDK turns answers into camelCase for the caller.
 */
export class CloudPay {
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly ctx: EmulatorContext,
    private readonly ledger: Ledger,
    private readonly notifier: Notifier,
    private readonly config: CloudPayConfig,
  ) {}

  async api(apiName: string, data: Wire, invocationId: string | null): Promise<Wire> {
    await this.ledger.ready();
    try {
      switch (apiName) {
        case 'unifiedOrder':
          return await this.unifiedOrder(data, invocationId);
        case 'queryOrder':
          return this.queryOrder(data);
        case 'closeOrder':
          return await this.closeOrder(data);
        case 'refund':
          return await this.refund(data);
        case 'queryRefund':
          return this.queryRefund(data);
        default:
          throw invalidParam(`cloudPay.${apiName} is not in the sandbox (unifiedOrder, queryOrder, closeOrder, refund, queryRefund)`);
      }
    } catch (e) {
      if (e instanceof Refusal) return e.reply;
      throw e;
    }
  }

  // -------------------------------------------------------------------------------------------------
  // The merchant's API

  /** The answer's common part; `sign` is added over the whole answer. */
  private reply(fields: Wire): Wire {
    const answer: Wire = {
      return_code: 'SUCCESS',
      return_msg: 'OK',
      appid: SERVICE_PROVIDER.appid,
      mch_id: SERVICE_PROVIDER.mchId,
      sub_appid: this.ctx.appId,
      sub_mch_id: this.config.subMchId,
      nonce_str: nonce(),
      ...fields,
    };
    return { ...answer, sign: sign(answer, this.config.subMchId) };
  }

  private failure(errCode: string, description: string): Wire {
    return this.reply({ result_code: 'FAIL', err_code: errCode, err_code_des: description });
  }

  /** WeChat Pay failing inside (fault injection): nothing is applied, and the merchant may ask again. */
  systemError(): Wire {
    return this.failure('SYSTEMERROR', '系统错误');
  }

  /** Checks what every API needs: the sub-merchant bound to this environment and a nonce. */
  private common(data: Wire) {
    const subMchId = text(data, 'sub_mch_id');
    if (!subMchId) throw new Refusal(this.failure('LACK_PARAMS', '缺少参数sub_mch_id'));
    // What cloud pay answers for a sub-merchant not bound to the environment.
    if (subMchId !== this.config.subMchId) throw new Refusal({ return_code: 'FAIL', return_msg: '受理关系不存在' });
    const nonceStr = text(data, 'nonce_str');
    if (!nonceStr) throw new Refusal(this.failure('LACK_PARAMS', '缺少参数nonce_str'));
    if (nonceStr.length > 32) throw new Refusal(this.failure('INVALID_REQUEST', 'nonce_str长度不能超过32位'));
  }

  private required(data: Wire, key: string): string {
    const value = text(data, key);
    if (value === undefined || value === '') throw new Refusal(this.failure('LACK_PARAMS', `缺少参数${key}`));
    return value;
  }

  private fee(data: Wire, key: string): number {
    const value = data[key];
    if (value === undefined) throw new Refusal(this.failure('LACK_PARAMS', `缺少参数${key}`));
    if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
      throw new Refusal(this.failure('INVALID_REQUEST', `${key}必须为大于0的整数（单位：分）`));
    }
    return value;
  }

  /** The function that receives the callback: it must exist in this environment. */
  private callbackFunction(data: Wire, required: boolean): string | undefined {
    const name = text(data, 'function_name');
    if (!name) {
      if (required) throw new Refusal(this.failure('LACK_PARAMS', '缺少参数function_name'));
      return undefined;
    }
    const envId = text(data, 'env_id');
    if (envId !== undefined && envId !== this.ctx.envId) {
      throw new Refusal({ return_code: 'FAIL', return_msg: `env_id ${envId} 不是当前环境 ${this.ctx.envId}` });
    }
    try {
      this.ctx.runtime.config(name);
    } catch {
      throw new Refusal({ return_code: 'FAIL', return_msg: `回调云函数 ${name} 不存在` });
    }
    return name;
  }

  private payment(prepayId: string) {
    const fields = {
      appId: this.ctx.appId,
      timeStamp: String(Math.floor(Date.now() / 1000)),
      nonceStr: nonce(),
      package: `prepay_id=${prepayId}`,
      signType: 'MD5',
    };
    return { ...fields, paySign: sign(fields, this.config.subMchId) };
  }

  private async unifiedOrder(data: Wire, invocationId: string | null): Promise<Wire> {
    this.common(data);
    const functionName = this.callbackFunction(data, true)!;
    if (text(data, 'env_id') === undefined) throw new Refusal(this.failure('LACK_PARAMS', '缺少参数env_id'));
    const body = this.required(data, 'body');
    const outTradeNo = this.required(data, 'out_trade_no');
    const totalFee = this.fee(data, 'total_fee');
    const spbillCreateIp = this.required(data, 'spbill_create_ip');
    if (body.length > 128) throw new Refusal(this.failure('INVALID_REQUEST', 'body长度不能超过128个字符'));
    if (!TRADE_NO.test(outTradeNo)) {
      throw new Refusal(this.failure('INVALID_REQUEST', 'out_trade_no只能是32个字符以内的数字、大小写字母、_或-'));
    }
    const attach = text(data, 'attach');
    if (attach !== undefined && attach.length > 127) throw new Refusal(this.failure('INVALID_REQUEST', 'attach长度不能超过127个字符'));
    // In the cloud the payer is the learner whose call ran the ordering function, unless the order names one.
    const openid = text(data, 'sub_openid') ?? text(data, 'openid') ?? (invocationId ? this.ctx.runtime.record(invocationId)?.openid : undefined);
    if (!openid) throw new Refusal(this.failure('INVALID_REQUEST', 'JSAPI支付必须传openid'));

    const existing = this.ledger.get('trades', outTradeNo);
    if (existing) {
      if (existing.state === 'SUCCESS') return this.failure('ORDERPAID', '该订单已支付');
      if (existing.state === 'CLOSED') return this.failure('ORDERCLOSED', '该订单已关闭');
      // Re-ordering the same unpaid order answers the same prepay_id; changing it is refused.
      if (existing.totalFee !== totalFee || existing.body !== body || existing.openid !== openid || existing.attach !== attach) {
        return this.failure('INVALID_REQUEST', '201 商户订单号重复');
      }
      return this.reply({ result_code: 'SUCCESS', trade_type: 'JSAPI', prepay_id: existing.prepayId, payment: this.payment(existing.prepayId) });
    }
    const trade: Trade = {
      outTradeNo,
      subMchId: this.config.subMchId,
      prepayId: newPrepayId(),
      body,
      ...(attach === undefined ? {} : { attach }),
      totalFee,
      openid,
      functionName,
      envId: this.ctx.envId,
      spbillCreateIp,
      state: 'NOTPAY',
      createdAt: Date.now(),
    };
    await this.ledger.put('trades', outTradeNo, trade);
    return this.reply({ result_code: 'SUCCESS', trade_type: 'JSAPI', prepay_id: trade.prepayId, payment: this.payment(trade.prepayId) });
  }

  private findTrade(data: Wire): Trade {
    const transactionId = text(data, 'transaction_id');
    const outTradeNo = text(data, 'out_trade_no');
    if (!transactionId && !outTradeNo) throw new Refusal(this.failure('LACK_PARAMS', '缺少参数out_trade_no或transaction_id'));
    const trade = transactionId
      ? this.ledger.list('trades').find((t) => t.transactionId === transactionId)
      : this.ledger.get('trades', outTradeNo!);
    if (!trade) throw new Refusal(this.failure('ORDERNOTEXIST', '此交易订单号不存在'));
    return trade;
  }

  private refundsOf(outTradeNo: string): Refund[] {
    return this.ledger
      .list('refunds')
      .filter((r) => r.outTradeNo === outTradeNo)
      .sort((a, b) => a.createdAt - b.createdAt);
  }

  private tradeState(trade: Trade): string {
    return trade.state === 'SUCCESS' && this.refundsOf(trade.outTradeNo).length ? 'REFUND' : trade.state;
  }

  private queryOrder(data: Wire): Wire {
    this.common(data);
    const trade = this.findTrade(data);
    const state = this.tradeState(trade);
    const paid = trade.transactionId !== undefined;
    return this.reply({
      result_code: 'SUCCESS',
      out_trade_no: trade.outTradeNo,
      trade_type: 'JSAPI',
      total_fee: trade.totalFee,
      fee_type: 'CNY',
      ...(trade.attach === undefined ? {} : { attach: trade.attach }),
      ...(paid
        ? {
            openid: providerOpenid(trade.openid),
            sub_openid: trade.openid,
            is_subscribe: 'N',
            sub_is_subscribe: 'N',
            bank_type: 'OTHERS',
            cash_fee: trade.totalFee,
            transaction_id: trade.transactionId,
            time_end: trade.timeEnd,
          }
        : {}),
      trade_state: state,
      trade_state_desc: TRADE_STATE_DESC[state],
    });
  }

  private async closeOrder(data: Wire): Promise<Wire> {
    this.common(data);
    const outTradeNo = this.required(data, 'out_trade_no');
    const trade = this.ledger.get('trades', outTradeNo);
    if (!trade) return this.failure('ORDERNOTEXIST', '此交易订单号不存在');
    if (trade.state === 'SUCCESS') return this.failure('ORDERPAID', '订单已支付，不能发起关单');
    if (trade.state === 'CLOSED') return this.failure('ORDERCLOSED', '订单已关闭，无法重复关闭');
    await this.ledger.put('trades', outTradeNo, { ...trade, state: 'CLOSED', closedAt: Date.now() });
    return this.reply({ result_code: 'SUCCESS' });
  }

  private async refund(data: Wire): Promise<Wire> {
    this.common(data);
    const trade = this.findTrade(data);
    const outRefundNo = this.required(data, 'out_refund_no');
    if (!REFUND_NO.test(outRefundNo)) {
      throw new Refusal(this.failure('INVALID_REQUEST', 'out_refund_no只能是64个字符以内的数字、大小写字母、_-|*@'));
    }
    const totalFee = this.fee(data, 'total_fee');
    const refundFee = this.fee(data, 'refund_fee');
    const functionName = this.callbackFunction(data, false);
    if (trade.transactionId === undefined) return this.failure('ERROR', '订单未支付，不能退款');
    if (totalFee !== trade.totalFee) return this.failure('INVALID_REQUEST', '订单金额与原订单不一致');
    const earlier = this.refundsOf(trade.outTradeNo);
    const same = this.ledger.get('refunds', outRefundNo);
    if (same) {
      // Retrying a refund with its own number is how WeChat Pay wants a failed request repeated.
      if (same.outTradeNo !== trade.outTradeNo || same.refundFee !== refundFee) {
        return this.failure('INVALID_REQUEST', '退款单号已使用，且退款金额或订单与原请求不一致');
      }
      return this.refundReply(same, trade);
    }
    if (earlier.length >= MAX_PARTIAL_REFUNDS) return this.failure('ERROR', '该订单部分退款次数已达上限（50次）');
    const refunded = earlier.filter((r) => r.status !== 'REFUNDCLOSE').reduce((sum, r) => sum + r.refundFee, 0);
    if (refunded + refundFee > trade.totalFee) return this.failure('ERROR', '申请退款金额超过订单可退金额');
    const refund: Refund = {
      outRefundNo,
      refundId: newRefundId(),
      outTradeNo: trade.outTradeNo,
      transactionId: trade.transactionId,
      totalFee,
      refundFee,
      status: 'PROCESSING',
      ...(functionName === undefined ? {} : { functionName }),
      createdAt: Date.now(),
    };
    await this.ledger.put('refunds', outRefundNo, refund);
    if (this.config.refundAutoCompleteMs !== undefined) {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        this.completeRefund(outRefundNo).catch((e: unknown) => console.error('[emulator] refund auto-complete failed', e));
      }, this.config.refundAutoCompleteMs);
      this.timers.add(timer);
    }
    return this.refundReply(refund, trade);
  }

  private refundReply(refund: Refund, trade: Trade): Wire {
    return this.reply({
      result_code: 'SUCCESS',
      transaction_id: trade.transactionId,
      out_trade_no: trade.outTradeNo,
      out_refund_no: refund.outRefundNo,
      refund_id: refund.refundId,
      refund_fee: refund.refundFee,
      settlement_refund_fee: refund.refundFee,
      total_fee: trade.totalFee,
      cash_fee: trade.totalFee,
      cash_refund_fee: refund.refundFee,
    });
  }

  private queryRefund(data: Wire): Wire {
    this.common(data);
    const byRefund = text(data, 'out_refund_no') ?? text(data, 'refund_id');
    let refunds: Refund[];
    if (byRefund !== undefined) {
      const found = this.ledger.list('refunds').find((r) => r.outRefundNo === byRefund || r.refundId === byRefund);
      refunds = found ? [found] : [];
    } else if (text(data, 'out_trade_no') !== undefined || text(data, 'transaction_id') !== undefined) {
      refunds = this.refundsOf(this.findTrade(data).outTradeNo);
    } else {
      return this.failure('LACK_PARAMS', '缺少参数out_refund_no、out_trade_no、transaction_id或refund_id');
    }
    if (!refunds.length) return this.failure('REFUNDNOTEXIST', '退款订单查询失败');
    const trade = this.ledger.get('trades', refunds[0]!.outTradeNo)!;
    const columns: Record<string, (r: Refund) => string | number> = {
      out_refund_no: (r: Refund) => r.outRefundNo,
      refund_id: (r: Refund) => r.refundId,
      refund_channel: () => 'ORIGINAL',
      refund_fee: (r: Refund) => r.refundFee,
      settlement_refund_fee: (r: Refund) => r.refundFee,
      refund_status: (r: Refund) => r.status,
      refund_account: () => 'REFUND_SOURCE_UNSETTLED_FUNDS',
      refund_recv_accout: () => '支付用户零钱',
      refund_success_time: (r: Refund) => r.successTime ?? '',
    };
    // WeChat Pay v2 documents one field per refund (`refund_fee_0`, ...); cloud pay has been seen answering
    // lists (`refund_fee_list`). Both are given, so code written against either works.
    const indexed = Object.fromEntries(
      refunds.flatMap((r, i) => Object.entries(columns).map(([name, value]) => [`${name}_${i}`, value(r)])),
    );
    const lists = Object.fromEntries(Object.entries(columns).map(([name, value]) => [`${name}_list`, refunds.map(value)]));
    return this.reply({
      result_code: 'SUCCESS',
      transaction_id: trade.transactionId,
      out_trade_no: trade.outTradeNo,
      total_fee: trade.totalFee,
      cash_fee: trade.totalFee,
      refund_count: refunds.length,
      ...indexed,
      ...lists,
    });
  }

  // -------------------------------------------------------------------------------------------------
  // The learner's side, and the sandbox controls

  /** The sandbox control: the learner pays the trade; its messages are the emulator's, for developers. */
  async pay(outTradeNo: string, options: DeliveryOptions & { force?: boolean } = {}) {
    await this.ledger.ready();
    const trade = this.ledger.get('trades', outTradeNo);
    if (!trade) throw new SandboxError(404, `no trade ${outTradeNo}`);
    if (trade.state === 'SUCCESS') throw new SandboxError(409, `trade ${outTradeNo} is already paid`);
    // force: the learner's payment went through while the merchant was closing the order.
    if (trade.state === 'CLOSED' && !options.force) throw new SandboxError(409, `trade ${outTradeNo} is closed (with {"force": true} it is paid anyway)`);
    return this.settle(trade, options);
  }

  /** `wx.requestPayment` with what `unifiedOrder` answered, as the learner `openid`; it fails as WeChat words it. */
  async requestPayment(openid: string, payment: Wire, options: DeliveryOptions): Promise<Wire> {
    const fail = (reason: string) => ({ errMsg: `requestPayment:fail ${reason}` });
    const fields = {
      appId: payment.appId,
      timeStamp: payment.timeStamp,
      nonceStr: payment.nonceStr,
      package: payment.package,
      signType: payment.signType,
    };
    if (fields.appId !== this.ctx.appId || payment.paySign !== sign(fields, this.config.subMchId)) return fail('支付验证签名失败');
    const prepayId = String(fields.package ?? '').replace(/^prepay_id=/, '');
    await this.ledger.ready();
    const trade = this.ledger.list('trades').find((t) => t.prepayId === prepayId);
    if (!trade) return fail('prepay_id 不存在');
    if (trade.openid !== openid) return fail('下单账号与支付账号不一致，请核实后再支付');
    if (trade.state === 'SUCCESS') return fail('该订单已支付');
    if (trade.state === 'CLOSED') return fail('该订单已关闭');
    await this.settle(trade, options);
    return { errMsg: 'requestPayment:ok' };
  }

  /**
   * The trade becomes SUCCESS and its callback function is notified. Callers check the trade with no
   * await before this call, which writes it at once: two payments of one trade cannot both pass.
   */
  private async settle(trade: Trade, options: DeliveryOptions) {
    const paidAt = Date.now();
    const paid: Trade = { ...trade, state: 'SUCCESS', transactionId: newTransactionId(), timeEnd: compactTime(paidAt) };
    await this.ledger.put('trades', trade.outTradeNo, paid);
    const deliveries = await this.notify('payment', trade.outTradeNo, paid.functionName, this.paymentEvent(paid), options);
    return { trade: this.ledger.get('trades', trade.outTradeNo)!, deliveries };
  }

  /** The refund reaches the learner: SUCCESS, and the refund's callback function (if any) is notified. */
  async completeRefund(outRefundNo: string, options: DeliveryOptions & { fail?: boolean } = {}) {
    await this.ledger.ready();
    const refund = this.ledger.get('refunds', outRefundNo);
    if (!refund) throw new SandboxError(404, `no refund ${outRefundNo}`);
    if (refund.status !== 'PROCESSING') throw new SandboxError(409, `refund ${outRefundNo} is already ${refund.status === 'SUCCESS' ? 'complete' : 'closed'}`);
    // A refund WeChat Pay gives up on (REFUNDCLOSE): the money stays with the merchant.
    const done: Refund = options.fail ? { ...refund, status: 'REFUNDCLOSE' } : { ...refund, status: 'SUCCESS', successTime: dashedTime(Date.now()) };
    await this.ledger.put('refunds', outRefundNo, done);
    const deliveries = done.functionName
      ? await this.notify('refund', outRefundNo, done.functionName, this.refundEvent(done), options)
      : [];
    return { refund: done, deliveries };
  }

  private notify(kind: 'payment' | 'refund', key: string, functionName: string, event: Wire, options: DeliveryOptions) {
    const send: Send = async () => {
      try {
        const { record, done } = this.ctx.runtime.invoke(functionName, event);
        try {
          return { invocationId: record.id, result: JSON.parse(await done) as unknown };
        } catch (e) {
          return { invocationId: record.id, error: (e as Error).message };
        }
      } catch (e) {
        return { error: (e as Error).message };
      }
    };
    // The callback protocol: only `{errcode: 0}` stops the retries.
    const acknowledged = (result: unknown) => isRecord(result) && result.errcode === 0;
    return this.notifier.start({ kind, key, functionName, event }, send, acknowledged, this.config.notifyRetryDelaysMs, options);
  }

  /** The payment callback's event, camelCase as cloud pay hands it to the function. */
  private paymentEvent(trade: Trade): Wire {
    return {
      returnCode: 'SUCCESS',
      appid: SERVICE_PROVIDER.appid,
      mchId: SERVICE_PROVIDER.mchId,
      subAppid: this.ctx.appId,
      subMchId: trade.subMchId,
      nonceStr: nonce(),
      resultCode: 'SUCCESS',
      // `openid` is the payer under the service provider's AppID; the learner's own openid is `subOpenid`.
      openid: providerOpenid(trade.openid),
      isSubscribe: 'N',
      subOpenid: trade.openid,
      subIsSubscribe: 'N',
      tradeType: 'JSAPI',
      bankType: 'OTHERS',
      totalFee: trade.totalFee,
      feeType: 'CNY',
      cashFee: trade.totalFee,
      transactionId: trade.transactionId,
      outTradeNo: trade.outTradeNo,
      timeEnd: trade.timeEnd,
      ...(trade.attach === undefined ? {} : { attach: trade.attach }),
    };
  }

  /** The refund callback's event: WeChat Pay's refund notification with its `req_info` decrypted, camelCase, no attach. */
  private refundEvent(refund: Refund): Wire {
    return {
      returnCode: 'SUCCESS',
      appid: SERVICE_PROVIDER.appid,
      mchId: SERVICE_PROVIDER.mchId,
      subAppid: this.ctx.appId,
      subMchId: this.config.subMchId,
      nonceStr: nonce(),
      transactionId: refund.transactionId,
      outTradeNo: refund.outTradeNo,
      refundId: refund.refundId,
      outRefundNo: refund.outRefundNo,
      totalFee: refund.totalFee,
      settlementTotalFee: refund.totalFee,
      refundFee: refund.refundFee,
      settlementRefundFee: refund.refundFee,
      refundStatus: refund.status,
      successTime: refund.successTime,
      refundRecvAccout: '支付用户零钱',
      refundAccount: 'REFUND_SOURCE_UNSETTLED_FUNDS',
      refundRequestSource: 'API',
    };
  }

  close() {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }
}

/** The payer's openid under the service provider's AppID: stable per learner, never equal to theirs. */
function providerOpenid(openid: string): string {
  return `oSP${createHmac('sha256', 'emulator-cloudpay-provider').update(openid).digest('base64url').slice(0, 25)}`;
}
