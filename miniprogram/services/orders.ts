/** One typed call per order cloud function. */
import type { CancelOrderRequest, CancelOrderResponse, CreateOrderRequest, CreateOrderResponse } from '../../domain/contracts/orders';
import { callFunction, type Jsonified } from './cloud';

export type CreatedOrder = Jsonified<CreateOrderResponse>;

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

/** A fresh `clientRequestKey`: 32 characters of [0-9a-z], unique enough per learner. */
export function newRequestKey(): string {
  let key = Date.now().toString(36);
  while (key.length < 32) key += Math.floor(Math.random() * 36).toString(36);
  return key;
}
