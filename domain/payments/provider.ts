import type { PaymentContext } from '../contracts/orders';
import type { Order, OrderRefund, PaymentProviderName } from '../orders/model';

/** What `wx.getDeviceInfo().platform` answers on the devices WeChat runs mini programs on. */
export const PLATFORMS = ['ios', 'android', 'windows', 'mac', 'devtools', 'ohos'] as const;
export type Platform = (typeof PLATFORMS)[number];

/** What `wx.requestPayment` takes, as cloud pay's `unifiedOrder` answers it. */
export interface RequestPaymentParams {
  appId: string;
  timeStamp: string;
  nonceStr: string;
  package: string;
  signType: string;
  paySign: string;
}

/** What `wx.requestVirtualPayment` takes: `signData` exactly as signed (a JSON string), and both signatures. */
export interface RequestVirtualPaymentParams {
  mode: 'short_series_goods';
  signData: string;
  paySig: string;
  signature: string;
}

/** What the mini program needs to take the learner's money, by provider. */
export type ClientPayment = { provider: 'cloudPay'; params: RequestPaymentParams } | { provider: 'virtualPayment'; params: RequestVirtualPaymentParams };

/** A payment the provider reports (callback, delivery push, or a query), in the provider's own terms mapped to ours. */
export interface PaymentConfirmation {
  provider: PaymentProviderName;
  outTradeNo: string;
  transactionId: string;
  /** fen actually charged */
  amount: number;
  /** the learner who paid */
  payer: string;
  paidAt: Date;
}

/** A refund the provider reports done (callback or query), in the provider's terms mapped to ours. */
export interface RefundConfirmation {
  provider: PaymentProviderName;
  outTradeNo: string;
  outRefundNo: string;
  /** the provider's id of the refund */
  refundId: string;
  /** fen returned to the learner */
  amount: number;
  /** when the provider says the money went back */
  refundedAt: Date;
}

/** A trade as its provider knows it: the order number, and the learner (virtual payment keeps orders per learner). */
export interface TradeRef {
  outTradeNo: string;
  openid: string;
}

/**
 * A refund of a trade as its provider knows it: the trade, and our refund number. The learner is needed by
 * virtual payment only; cloud pay's refund callback does not name them.
 */
export interface RefundRef extends Omit<TradeRef, 'openid'> {
  openid?: string;
  outRefundNo: string;
}

/** The refund the order is waiting for, as its provider knows it. */
export const refundRefOf = (order: Order & { refund: OrderRefund }): RefundRef => ({ outTradeNo: order.outTradeNo, openid: order.openid, outRefundNo: order.refund.outRefundNo });

/** What the provider says of a refund; null when it never received the request. */
export type RefundState = RefundConfirmation | 'processing' | 'failed' | null;

/**
 * A way to take a learner's money for an order. The order (its number, amount, item) is the same
 * whichever provider takes it; the provider turns it into what the client calls and reports payments
 * back as `PaymentConfirmation`s, which `confirmPayment` (domain/orders/payment.ts) applies.
 */
export interface PaymentProvider {
  readonly name: PaymentProviderName;
  /**
   * Registers the order with the provider and answers what the mini program calls to pay it; the same
   * order again gives an equivalent payment. `paying` is what the learner's device sent with the order
   * (virtual payment signs with the session_key of its login code).
   */
  prepare(order: Order, paying: PaymentContext): Promise<ClientPayment>;
  /** Stops the order from being paid: 'closed', or 'paid' when the learner paid first (its notification is on the way). */
  close(order: Order): Promise<'closed' | 'paid'>;
  /**
   * Asks the provider whether the trade was paid: the payment as the provider records it, or null while
   * unpaid (or closed, or never registered). What a notification claims is applied only through this.
   */
  queryPayment(trade: TradeRef): Promise<PaymentConfirmation | null>;
  /**
   * Asks the provider to give `refund.amount` of the order's payment back under `refund.outRefundNo` (the
   * same number again is the same refund, never a second one). Resolves once the provider accepted the
   * request; the refund is done only when its notification (or `queryRefund`) says so. Throws
   * `RefundRefusedError` when the provider refuses it for good, another `PaymentProviderError` when the
   * outcome is unknown (ask again with the same number).
   */
  refund(order: Order, refund: OrderRefund): Promise<void>;
  /**
   * Asks the provider about a refund: done, still processing, failed for good (closed or abnormal), or
   * null when the provider never received the request.
   */
  queryRefund(refund: RefundRef): Promise<RefundState>;
}

/** The provider could not do what was asked; the message is for logs, not learners. */
export class PaymentProviderError extends Error {
  constructor(
    readonly provider: PaymentProviderName,
    message: string,
  ) {
    super(`${provider}: ${message}`);
    this.name = 'PaymentProviderError';
  }
}

/** The provider refused a refund for good (e.g. more than the payment left to refund, a trade over a year old): asking again changes nothing. */
export class RefundRefusedError extends PaymentProviderError {
  constructor(
    provider: PaymentProviderName,
    /** the provider's own explanation (WeChat Pay's is in Chinese), for staff */
    readonly refusal: string,
    message: string,
  ) {
    super(provider, message);
    this.name = 'RefundRefusedError';
  }
}
