/**
 * Promise-only types for wx-server-sdk's `cloud.cloudPay` (WeChat Pay v2 through cloud calls), which the
 * SDK's typings leave out. Requests are camelCase (the SDK turns them into WeChat Pay's snake_case);
 * answers come back camelCase. The SDK overwrites WeChat's `err_code` with its own `errCode: 0`, so a
 * failure is told by `returnCode` / `resultCode` and explained by `returnMsg` / `errCodeDes`.
 */
import type * as cloud from 'wx-server-sdk';
import type { RequestPaymentParams } from '../domain/payments/provider';

export interface CloudPayAnswer {
  returnCode: 'SUCCESS' | 'FAIL';
  returnMsg?: string;
  resultCode?: 'SUCCESS' | 'FAIL';
  errCodeDes?: string;
}

export interface UnifiedOrderRequest {
  body: string;
  outTradeNo: string;
  /** fen */
  totalFee: number;
  spbillCreateIp: string;
  subMchId: string;
  nonceStr: string;
  /** the environment and function that receive the payment callback */
  envId: string;
  functionName: string;
  attach?: string;
}

export interface RefundRequest {
  subMchId: string;
  nonceStr: string;
  outTradeNo: string;
  /** `[0-9A-Za-z_-|*@]{1,64}`: the same number again is the same refund */
  outRefundNo: string;
  /** fen: the trade's whole amount, as paid */
  totalFee: number;
  /** fen to give back */
  refundFee: number;
  /** the environment and function that receive the refund callback */
  envId: string;
  functionName: string;
}

export interface CloudPayApi {
  unifiedOrder(data: UnifiedOrderRequest): Promise<CloudPayAnswer & { prepayId?: string; payment?: RequestPaymentParams }>;
  closeOrder(data: { subMchId: string; nonceStr: string; outTradeNo: string }): Promise<CloudPayAnswer>;
  /** `tradeState` SUCCESS, NOTPAY, CLOSED, REFUND...; the payer and the transaction once paid. */
  queryOrder(data: { subMchId: string; nonceStr: string; outTradeNo: string }): Promise<CloudPayAnswer & { tradeState?: string } & Record<string, unknown>>;
  /** Accepting the request is not the refund: its callback (or `queryRefund`) says when the money went back. */
  refund(data: RefundRequest): Promise<CloudPayAnswer & { refundId?: string; outRefundNo?: string; refundFee?: number }>;
  /**
   * One refund's state by its number: `refundStatus_0` SUCCESS, PROCESSING, REFUNDCLOSE or CHANGE (failed),
   * with `refundId_0`, `refundFee_0` and `refundSuccessTime_0` (yyyy-MM-dd HH:mm:ss, Beijing time).
   */
  queryRefund(data: { subMchId: string; nonceStr: string; outRefundNo: string }): Promise<CloudPayAnswer & Record<string, unknown>>;
}

export function cloudPay(sdk: typeof cloud): CloudPayApi {
  return (sdk as unknown as { cloudPay: CloudPayApi }).cloudPay;
}
