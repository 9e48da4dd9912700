import type { Database } from '../../server/database';
import type { GetMyOrderResponse, ListMyOrdersResponse, listMyOrdersRequest } from '../contracts/orders';
import type * as z from '../contracts/schema';
import { DomainError } from '../errors';
import { toOrderView } from './create';
import { ORDERS, type Order } from './model';

/** What the learner's order views need: never the history, the provider's payment record or the request key. */
const VIEW_FIELDS = { item: true, amount: true, originalAmount: true, status: true, createdAt: true, paidAt: true, closedAt: true } as const;

type ViewSource = Pick<Order, '_id' | 'item' | 'amount' | 'originalAmount' | 'status' | 'createdAt' | 'paidAt' | 'closedAt'>;

/**
 * The learner's orders, newest first, one page, in one request through the `openid_createdAt` index
 * (`_id` breaks ties between orders of the same millisecond, so pages neither repeat nor skip one).
 */
export async function listMyOrders(db: Database, openid: string, req: z.output<typeof listMyOrdersRequest>): Promise<ListMyOrdersResponse> {
  // One more than a page tells whether another page exists, without a count.
  const { data } = await db
    .collection<ViewSource>(ORDERS)
    .where({ openid })
    .orderBy('createdAt', 'desc')
    .orderBy('_id', 'desc')
    .skip((req.page - 1) * req.pageSize)
    .limit(req.pageSize + 1)
    .field(VIEW_FIELDS)
    .get();
  return { orders: data.slice(0, req.pageSize).map((o) => toOrderView(o)), page: req.page, hasMore: data.length > req.pageSize };
}

/** One order of the learner's, in one request; another learner's order is not found. */
export async function getMyOrder(db: Database, openid: string, orderId: string): Promise<GetMyOrderResponse> {
  const { data } = await db.collection<ViewSource>(ORDERS).where({ _id: orderId, openid }).field(VIEW_FIELDS).get();
  const order = data[0];
  if (!order) throw new DomainError('NOT_FOUND', '订单不存在');
  return { order: toOrderView(order) };
}
