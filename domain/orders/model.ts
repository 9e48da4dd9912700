import type { RefundRule } from '../catalog/model';

export const ORDERS = 'orders';

/**
 * Where an order is in its life; `orderTransitions` (transitions.ts) says which moves are legal.
 * `needsRefund`: the provider took the learner's money but the payment buys nothing (a wrong amount, or
 * an item the learner already owns through another order); it waits for staff to refund it.
 * `refundRequested`: the learner asked for a refund within the item's rule; it waits for staff.
 */
export type OrderStatus = 'pending' | 'paid' | 'closed' | 'needsRefund' | 'refundRequested' | 'refunding' | 'refunded';

/** Each status in the words learners and staff read. */
export const ORDER_STATUS_TEXT: Record<OrderStatus, string> = {
  pending: '待支付',
  paid: '已支付',
  closed: '已关闭',
  needsRefund: '待退款',
  refundRequested: '退款审核中',
  refunding: '退款中',
  refunded: '已退款',
};

/** What an order buys: a course for the buyer, a membership plan, or a course as a gift to a friend. */
export interface CourseItem {
  kind: 'course';
  courseId: string;
  /** the course title when ordered: the payment's description, and what "my orders" shows */
  title: string;
  /** the course cover when ordered (absent on orders made before covers were captured) */
  cover?: string;
  /** the refund rule shown before purchase, which a refund request is judged by even if the course's changes later */
  refundRule?: RefundRule;
}
/** A membership plan: paying it extends the buyer's membership by `durationDays`. */
export interface MembershipItem {
  kind: 'membership';
  planId: string;
  /** the plan title when ordered, e.g. "年度会员" */
  title: string;
  /** copied from the plan when ordered, so a later plan edit cannot change what was paid for */
  durationDays: number;
}
/** A course bought for someone else: paying it issues a gift voucher (`gifts`), granting the buyer nothing. */
export interface GiftItem {
  kind: 'gift';
  courseId: string;
  title: string;
  cover?: string;
  /** as for a course: the rule shown before purchase */
  refundRule?: RefundRule;
}
export type OrderItem = CourseItem | MembershipItem | GiftItem;

/** Which provider takes the money: cloud pay (`wx.requestPayment`) or mini-program virtual payment (`wx.requestVirtualPayment`). */
export type PaymentProviderName = 'cloudPay' | 'virtualPayment';

/** Each payment rail in the words staff read. */
export const PAYMENT_RAIL_TEXT: Record<PaymentProviderName, string> = { cloudPay: '微信支付', virtualPayment: '虚拟支付' };

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

/**
 * A refund of an order, whole: the money the provider took (`payment.amount`) goes back. One per order;
 * a refund the provider refused or failed is kept (`failure`) and staff may approve it again, which
 * starts the next attempt under a new number.
 */
export interface OrderRefund {
  /** the provider's refund number: `refundNumberFor(orderId, attempt)` (domain/refunds), so a retried approval reuses it */
  outRefundNo: string;
  /** 1 for the first approval, one more after each failure */
  attempt: number;
  /** fen: the whole payment */
  amount: number;
  /** the learner's words, or staff's reason for a refund they started */
  reason: string;
  requestedAt: Date;
  /** `system`: a group-buy payment the product gives back on its own (no seat, or the group failed) */
  requestedBy: 'learner' | 'staff' | 'system';
  /** share of the course the learner had completed when asking (0-1), for staff reviewing it */
  consumed?: number;
  /** staff's answer: `by` is the staff member's openid; `note` is shown to the learner */
  decision?: { by: string; at: Date; approved: boolean; note?: string };
  /** the attempt the provider refused or failed; the order went back to where it came from */
  failure?: { outRefundNo: string; at: Date; detail: string };
  /** set when the provider confirmed the refund */
  refundId?: string;
  refundedAt?: Date;
}

/**
 * The coupon an order uses (a course bought for oneself): locked when the order is created, used when it
 * is paid, back to the learner when it closes unpaid (and when refunded, if `returnOnRefund`).
 */
export interface OrderCoupon {
  /** the coupon's `_id` (domain/coupons) */
  id: string;
  campaignId: string;
  title: string;
  /** fen taken off the price the pricing rules gave */
  discount: number;
  /** the campaign's setting when the coupon was claimed */
  returnOnRefund: boolean;
}

/** The group-buy an order pays a seat in (domain/groups): the group its leader's payment opens, or one it joins. */
export interface OrderGroup {
  id: string;
  leader: boolean;
  /** the course's group-buy when ordered: the group a leader's payment opens has these seats and window */
  size: number;
  hours: number;
}

/** Who referred the buyer when the order was created, and on what terms (domain/distribution). */
export interface OrderReferral {
  referrer: string;
  /** % of `amount` the referrer earns; 0 when the referrer is not a promoter (an invitation only) */
  rate: number;
  /** the invitation reward's campaign, when the school gives one */
  inviteCampaignId?: string;
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
  /** the coupon the order uses; `amount` is after its discount */
  coupon?: OrderCoupon;
  /** a group-buy order: access comes when the group completes */
  group?: OrderGroup;
  /** the referral the order was made under, for the commission and the invitation reward */
  referral?: OrderReferral;
  status: OrderStatus;
  provider: PaymentProviderName;
  createdAt: Date;
  /** when the order became paid (the notification arrived), not the provider's payment time */
  paidAt?: Date;
  closedAt?: Date;
  /** the provider's record of the learner's payment, once one arrived (whatever the order's status) */
  payment?: OrderPayment;
  /** the refund, once the learner asked for one or staff started one (domain/refunds) */
  refund?: OrderRefund;
  history: OrderTransition[];
}
