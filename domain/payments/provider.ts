import type { Order, PaymentProviderName } from '../orders/model';

/** What `wx.requestPayment` takes, as cloud pay's `unifiedOrder` answers it. */
export interface RequestPaymentParams {
  appId: string;
  timeStamp: string;
  nonceStr: string;
  package: string;
  signType: string;
  paySign: string;
}

/**
 * What the mini program needs to take the learner's money, by provider. Virtual payment adds
 * `{provider: 'virtualPayment', params: {mode, signData, paySig, signature}}` for `wx.requestVirtualPayment`.
 */
export type ClientPayment = { provider: 'cloudPay'; params: RequestPaymentParams };

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

/**
 * A way to take a learner's money for an order. The order (its number, amount, item) is the same
 * whichever provider takes it; the provider turns it into what the client calls and reports payments
 * back as `PaymentConfirmation`s, which `confirmPayment` (domain/orders/payment.ts) applies.
 */
export interface PaymentProvider {
  readonly name: PaymentProviderName;
  /** Registers the order with the provider and answers what the mini program calls to pay it; the same order again gives an equivalent payment. */
  prepare(order: Order): Promise<ClientPayment>;
  /** Stops the order from being paid: 'closed', or 'paid' when the learner paid first (its notification is on the way). */
  close(order: Order): Promise<'closed' | 'paid'>;
  /** Asks the provider whether the learner paid the order: the payment as a notification would report it, or null while unpaid (or closed, or never registered). */
  queryPayment(order: Order): Promise<PaymentConfirmation | null>;
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
