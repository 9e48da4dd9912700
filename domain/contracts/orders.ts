import type { OrderItem, OrderStatus } from '../orders/model';
import type { ClientPayment } from '../payments/provider';
import { paging } from './paging';
import * as z from './schema';

const id = z.string().check(z.minLength(1), z.maxLength(64), z.regex(/^[A-Za-z0-9_-]+$/, '编号格式不正确'));

/**
 * `createOrder`: what the learner wants to buy and a key the mini program makes once per tap on "buy"
 * (a UUID). Nothing else: the price, the discount and the buyer come from the server, and a request
 * that carries them is refused.
 */
export const createOrderRequest = z.strictObject({
  courseId: id,
  clientRequestKey: z.string().check(z.minLength(8), z.maxLength(64), z.regex(/^[A-Za-z0-9_-]+$/, '请求编号格式不正确')),
});
export type CreateOrderRequest = z.infer<typeof createOrderRequest>;

/** An order as its learner sees it. */
export interface OrderView {
  id: string;
  item: OrderItem;
  /** fen */
  amount: number;
  originalAmount?: number;
  status: OrderStatus;
  createdAt: Date;
  paidAt?: Date;
  closedAt?: Date;
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

/** `settleOrders`: a timer's event (`{Type, TriggerName, Time, Message}`), or nothing when another function calls it. */
export const settleOrdersRequest = z.object({});

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
