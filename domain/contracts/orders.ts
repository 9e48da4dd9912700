import type { OrderItem, OrderStatus } from '../orders/model';
import { PLATFORMS, type ClientPayment, type Platform } from '../payments/provider';
import type { OrderRefundView } from './refunds';
import { paging } from './paging';
import { id } from './ids';
import * as z from './schema';


const clientRequestKey = z.string().check(z.minLength(8), z.maxLength(64), z.regex(/^[A-Za-z0-9_-]+$/, '请求编号格式不正确'));

/**
 * How the learner's device can pay, sent with `createOrder`. `platform` picks the payment rail (virtual
 * payment on iOS, cloud pay elsewhere: cloud.config.json `payments`); a client may lie about it, which
 * only picks another rail: the price and the access still come from the server. `loginCode` is a fresh
 * `wx.login` code: virtual payment signs the payment with the learner's session_key, which the function
 * gets by exchanging it (code2Session); cloud pay ignores it.
 */
export interface PaymentContext {
  platform?: Platform;
  loginCode?: string;
}

/**
 * `createOrder`: what the learner wants to buy (a course, the same course as a gift to a friend, or a
 * membership plan) and a key the mini program makes once per tap on "buy" (a UUID). Nothing else: the
 * price, the discount and the buyer come from the server, and a request that carries them is refused.
 * One strict object checked as a whole (not a union) so that a refused field is named in the message.
 */
export const createOrderRequest = z.pipe(
  z
    .strictObject({
      courseId: z.optional(id),
      gift: z.optional(z.literal(true)),
      planId: z.optional(id),
      clientRequestKey,
      platform: z.optional(z.enum(PLATFORMS)),
      loginCode: z.optional(z.string().check(z.minLength(1), z.maxLength(128))),
      couponId: z.optional(z.string().check(z.minLength(1), z.maxLength(200))),
      bestCoupon: z.optional(z.literal(true)),
      startGroup: z.optional(z.literal(true)),
      groupId: z.optional(id),
    })
    .check(
      z.refine((r) => (r.courseId === undefined) !== (r.planId === undefined), { message: '请选择要购买的课程或会员方案' }),
      z.refine((r) => !(r.gift && r.planId), { message: '会员方案不能作为礼物购买', path: ['gift'] }),
      z.refine((r) => !(r.couponId && r.bestCoupon), { message: '请只选择一张优惠券', path: ['couponId'] }),
      z.refine((r) => !((r.couponId || r.bestCoupon) && (r.gift || r.planId)), { message: '优惠券仅可用于为自己购买课程', path: ['couponId'] }),
      z.refine((r) => !((r.startGroup || r.groupId) && (r.gift || r.planId)), { message: '拼团仅可为自己购买课程', path: ['groupId'] }),
      z.refine((r) => !(r.startGroup && r.groupId), { message: '请选择开团或参团', path: ['groupId'] }),
      z.refine((r) => !((r.startGroup || r.groupId) && (r.couponId || r.bestCoupon)), { message: '拼团价不能再使用优惠券', path: ['couponId'] }),
    ),
  z.transform(({ courseId, gift, planId, clientRequestKey, couponId, bestCoupon, startGroup, groupId, ...paying }): OrderRequest =>
    planId !== undefined
      ? { kind: 'membership', planId, clientRequestKey, ...paying }
      : gift
        ? { kind: 'gift', courseId: courseId!, clientRequestKey, ...paying }
        : {
            kind: 'course',
            courseId: courseId!,
            clientRequestKey,
            ...(couponId ? { coupon: { id: couponId } } : bestCoupon ? { coupon: 'best' as const } : {}),
            ...(startGroup ? { group: 'start' as const } : groupId ? { group: { id: groupId } } : {}),
            ...paying,
          },
  ),
);

/**
 * What the mini program sends to `createOrder`. A course bought for oneself may use one of the learner's
 * coupons (`couponId`), or the one that takes off most (`bestCoupon`); the server checks and prices it.
 * Or it is bought at the group price: opening a group (`startGroup`) or taking a seat in one (`groupId`).
 */
export type CreateOrderRequest = (
  | { courseId: string; clientRequestKey: string; couponId?: string; bestCoupon?: true }
  | { courseId: string; clientRequestKey: string; startGroup: true }
  | { courseId: string; clientRequestKey: string; groupId: string }
  | { courseId: string; gift: true; clientRequestKey: string }
  | { planId: string; clientRequestKey: string }
) &
  PaymentContext;

/** A `createOrder` request as the domain reads it, by the kind of item it orders. */
export type OrderRequest = (
  | { kind: 'course'; courseId: string; clientRequestKey: string; coupon?: { id: string } | 'best'; group?: 'start' | { id: string } }
  | { kind: 'gift'; courseId: string; clientRequestKey: string }
  | { kind: 'membership'; planId: string; clientRequestKey: string }
) &
  PaymentContext;

/** A coupon on an order, as learners and staff see it. */
export interface OrderCouponView {
  id: string;
  title: string;
  /** fen */
  discount: number;
}

/** An order as its learner sees it. */
export interface OrderView {
  id: string;
  item: OrderItem;
  /** fen */
  amount: number;
  originalAmount?: number;
  /** the coupon the order uses: `discount` fen came off before `amount` */
  coupon?: OrderCouponView;
  /** the group-buy the order pays a seat in (its page: `getGroup`) */
  group?: { id: string; leader: boolean };
  status: OrderStatus;
  createdAt: Date;
  paidAt?: Date;
  closedAt?: Date;
  /** the refund side of the order, on the order page (`getMyOrder`, `requestRefund`) */
  refund?: OrderRefundView;
}

export interface CreateOrderResponse {
  order: OrderView;
  /** what the mini program calls to pay (`wx.requestPayment({...payment.params})`); null once the order is no longer pending */
  payment: ClientPayment | null;
}

/** `cancelOrder`: the learner gives up an unpaid order of theirs. */
export const cancelOrderRequest = z.strictObject({ orderId: id });
export type CancelOrderRequest = z.infer<typeof cancelOrderRequest>;
export interface CancelOrderResponse {
  order: OrderView;
}

/**
 * `settleOrders`: a timer's event (`{Type, TriggerName, Time, Message}`), or what another function or an
 * operator's script sends: `reconcileAfterMs` asks the providers about younger orders and refunds than the
 * timer does (0: all of them), e.g. once a callback outage is over. Closing still waits for the timeout.
 */
export const settleOrdersRequest = z.object({ reconcileAfterMs: z.optional(z.int().check(z.nonnegative())) });

/** `listMyOrders`: the caller's orders, newest first, one page. The learner is the caller, never a field. */
export const listMyOrdersRequest = z.strictObject({
  ...paging,
});
export type ListMyOrdersRequest = z.input<typeof listMyOrdersRequest>;
export interface ListMyOrdersResponse {
  orders: OrderView[];
  page: number;
  hasMore: boolean;
}

/** `getMyOrder`: one order of the caller's (another learner's order is NOT_FOUND). */
export const getMyOrderRequest = z.strictObject({ orderId: id });
export type GetMyOrderRequest = z.infer<typeof getMyOrderRequest>;
export interface GetMyOrderResponse {
  order: OrderView;
}
