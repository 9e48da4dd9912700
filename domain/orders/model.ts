export const ORDERS = 'orders';

/**
 * Where an order is in its life; `orderTransitions` (transitions.ts) says which moves are legal.
 * `needsRefund`: the provider took the learner's money but the payment buys nothing (a wrong amount, or
 * an item the learner already owns through another order); it waits for staff to refund it.
 */
export type OrderStatus = 'pending' | 'paid' | 'closed' | 'needsRefund' | 'refunding' | 'refunded';

/** What an order buys. Membership plans and gifts come with their own kinds. */
export interface CourseItem {
  kind: 'course';
  courseId: string;
  /** the course title when ordered: the payment's description, and what "my orders" shows */
  title: string;
  /** the course cover when ordered (absent on orders made before covers were captured) */
  cover?: string;
}
export type OrderItem = CourseItem;

/** Which provider takes the money: cloud pay (`wx.requestPayment`), later virtual payment. */
export type PaymentProviderName = 'cloudPay';

export interface OrderTransition {
  /** null for the creation */
  from: OrderStatus | null;
  to: OrderStatus;
  at: Date;
  reason: string;
}

/** What the provider reported when the learner paid. */
export interface OrderPayment {
  transactionId: string;
  /** fen, as the provider charged it (may differ from `amount`: then the order needs a refund) */
  amount: number;
  /** when the provider says the learner paid */
  paidAt: Date;
}

export interface Order {
  /** equal to `outTradeNo` */
  _id: string;
  /** the merchant order number the provider knows: `[0-9A-Za-z_-]{1,32}` */
  outTradeNo: string;
  openid: string;
  /** made by the mini program once per tap on "buy": the same key again is the same order */
  clientRequestKey: string;
  item: OrderItem;
  /** fen, quoted by the server at creation; the payment must match it */
  amount: number;
  /** the struck-through list price at creation, when the course was on sale */
  originalAmount?: number;
  status: OrderStatus;
  provider: PaymentProviderName;
  createdAt: Date;
  /** when the order became paid (the notification arrived), not the provider's payment time */
  paidAt?: Date;
  closedAt?: Date;
  /** the provider's record of the learner's payment, once one arrived (whatever the order's status) */
  payment?: OrderPayment;
  history: OrderTransition[];
}
