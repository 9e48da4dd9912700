/** One typed call per order cloud function. */
import type {
  CancelOrderRequest,
  CancelOrderResponse,
  CreateOrderRequest,
  CreateOrderResponse,
  GetMyOrderRequest,
  GetMyOrderResponse,
  ListMyOrdersRequest,
  ListMyOrdersResponse,
} from '../../domain/contracts/orders';
import type { RequestRefundRequest, RequestRefundResponse } from '../../domain/contracts/refunds';
import { callFunction, type Jsonified } from './cloud';

export type CreatedOrder = Jsonified<CreateOrderResponse>;
export type MyOrder = Jsonified<GetMyOrderResponse>['order'];
export type OrderStatus = MyOrder['status'];

/** How the learner reads an order's status, and the tag theme it is shown with. */
export const ORDER_STATUS: Record<OrderStatus, { label: string; theme: 'warning' | 'success' | 'default' | 'primary' | 'danger' }> = {
  pending: { label: '待支付', theme: 'warning' },
  paid: { label: '已支付', theme: 'success' },
  closed: { label: '已关闭', theme: 'default' },
  needsRefund: { label: '待退款', theme: 'danger' },
  refundRequested: { label: '退款审核中', theme: 'warning' },
  refunding: { label: '退款中', theme: 'primary' },
  refunded: { label: '已退款', theme: 'default' },
};

/**
 * Opens (or, with the same `clientRequestKey`, finds again) the learner's order for a course. The
 * server prices it: the client never sends an amount.
 */
export function createOrder(request: CreateOrderRequest): Promise<CreatedOrder> {
  return callFunction<CreateOrderRequest, CreateOrderResponse>('createOrder', request);
}

/** Closes an unpaid order of the learner's. */
export function cancelOrder(orderId: string): Promise<Jsonified<CancelOrderResponse>> {
  return callFunction<CancelOrderRequest, CancelOrderResponse>('cancelOrder', { orderId });
}

/** The learner's orders, newest first, one page. */
export function listMyOrders(request: ListMyOrdersRequest): Promise<Jsonified<ListMyOrdersResponse>> {
  return callFunction<ListMyOrdersRequest, ListMyOrdersResponse>('listMyOrders', request);
}

/** One order of the learner's. */
export function getMyOrder(orderId: string): Promise<Jsonified<GetMyOrderResponse>> {
  return callFunction<GetMyOrderRequest, GetMyOrderResponse>('getMyOrder', { orderId });
}

/** Asks for the money of a paid order back, under its course's refund rule; staff review it. */
export function requestRefund(request: RequestRefundRequest): Promise<Jsonified<RequestRefundResponse>> {
  return callFunction<RequestRefundRequest, RequestRefundResponse>('requestRefund', request);
}

/** A fresh `clientRequestKey`: 32 characters of [0-9a-z], unique enough per learner. */
export function newRequestKey(): string {
  let key = Date.now().toString(36);
  while (key.length < 32) key += Math.floor(Math.random() * 36).toString(36);
  return key;
}
