import { pageOf, type Database } from '../../server/database';
import type { GetMyOrderResponse, ListMyOrdersResponse, listMyOrdersRequest } from '../contracts/orders';
import type * as z from '../contracts/schema';
import { DomainError } from '../errors';
import { toOrderView } from './view';
import { assessRefund } from '../refunds/request';
import { orderViewWithRefund } from '../refunds/view';
import { ORDERS, type Order } from './model';

/** What the learner's order views need: never the history, the provider's payment record or the request key. */
const VIEW_FIELDS = { item: true, amount: true, originalAmount: true, coupon: true, group: true, status: true, createdAt: true, paidAt: true, closedAt: true } as const;

type ViewSource = Pick<Order, '_id' | 'item' | 'amount' | 'originalAmount' | 'coupon' | 'group' | 'status' | 'createdAt' | 'paidAt' | 'closedAt'>;

/**
 * The learner's orders, newest first, one page, in one request through the `openid_createdAt` index
 * (`_id` breaks ties between orders of the same millisecond, so pages neither repeat nor skip one).
 */
export async function listMyOrders(db: Database, openid: string, req: z.output<typeof listMyOrdersRequest>): Promise<ListMyOrdersResponse> {
  const { items, page, hasMore } = await pageOf(
    db
      .collection<ViewSource>(ORDERS)
      .where({ openid })
      .orderBy('createdAt', 'desc')
      .orderBy('_id', 'desc')
      .field(VIEW_FIELDS),
    req,
  );
  return { orders: items.map((o) => toOrderView(o)), page, hasMore };
}

/** The order page also shows the refund side: the payment's amount and the refund. */
const DETAIL_FIELDS = { ...VIEW_FIELDS, openid: true, payment: true, refund: true } as const;

/**
 * One order of the learner's with its refund side (whether a refund may be requested, and why not);
 * another learner's order is not found. One request, and two more at once (the course's refund rule, the
 * learner's progress) for a paid order that could still be refunded.
 */
export async function getMyOrder(db: Database, openid: string, orderId: string, now: Date): Promise<GetMyOrderResponse> {
  const { data } = await db.collection<Order>(ORDERS).where({ _id: orderId, openid }).field(DETAIL_FIELDS).get();
  const order = data[0];
  if (!order) throw new DomainError('NOT_FOUND', '订单不存在');
  return { order: orderViewWithRefund(order, await assessRefund(db, order, now)) };
}
