import { createHash } from 'node:crypto';
import { isDuplicateKey, type Database } from '../../server/database';
import type { Payments } from '../../server/payments';
import { accessTo, entitlementsFor } from '../access/entitlements';
import { COURSES } from '../catalog/courses';
import type { Course } from '../catalog/model';
import type { CreateOrderRequest, CreateOrderResponse, OrderView } from '../contracts/orders';
import { DomainError } from '../errors';
import { PaymentProviderError, type ClientPayment, type PaymentProvider } from '../payments/provider';
import { quote } from '../pricing/quote';
import { ORDERS, type Order } from './model';

/**
 * The order number of a learner's tap: the same (learner, request key) always gives the same number, so
 * two concurrent calls insert the same `_id` and only one insert succeeds. 31 characters of a SHA-256
 * (base64url: `[0-9A-Za-z_-]`, WeChat Pay's alphabet) after an `O`.
 */
export function outTradeNoFor(openid: string, clientRequestKey: string): string {
  return `O${createHash('sha256').update(`${openid}\n${clientRequestKey}`).digest('base64url').slice(0, 31)}`;
}

type OrderData = Omit<Order, '_id'> & { _id?: string };

export function toOrderView(order: Pick<Order, '_id' | 'item' | 'amount' | 'originalAmount' | 'status' | 'createdAt' | 'paidAt' | 'closedAt'>): OrderView {
  return {
    id: order._id,
    item: order.item,
    amount: order.amount,
    ...(order.originalAmount ? { originalAmount: order.originalAmount } : {}),
    status: order.status,
    createdAt: order.createdAt,
    ...(order.paidAt ? { paidAt: order.paidAt } : {}),
    ...(order.closedAt ? { closedAt: order.closedAt } : {}),
  };
}

async function readOrder(db: Database, id: string): Promise<Order | undefined> {
  const { data } = await db.collection<Order>(ORDERS).where({ _id: id }).get();
  return data[0];
}

async function paymentFor(provider: PaymentProvider, order: Order): Promise<ClientPayment> {
  try {
    return await provider.prepare(order);
  } catch (e) {
    if (!(e instanceof PaymentProviderError)) throw e;
    console.error(e.message);
    throw new DomainError('PAYMENT_UNAVAILABLE', '暂时无法发起支付，请稍后再试');
  }
}

/**
 * A learner's order for a course, priced here from the course in the database (never from the client),
 * and what the mini program needs to pay it. The same (learner, request key) is the same order: a double
 * tap, even concurrent, creates one (the order number is derived from them, and an insert of an existing
 * number fails). Three requests: the course and the learner's entitlements at once, then the insert.
 */
export async function createOrder(db: Database, payments: Payments, openid: string, req: CreateOrderRequest, now: Date): Promise<CreateOrderResponse> {
  const outTradeNo = outTradeNoFor(openid, req.clientRequestKey);
  const [courses, entitlements] = await Promise.all([
    db.collection<Course>(COURSES).where({ _id: req.courseId, status: 'published' }).field({ title: true, cover: true, price: true }).get(),
    entitlementsFor(db, openid, req.courseId),
  ]);
  const course = courses.data[0];
  if (!course) throw new DomainError('NOT_FOUND', '课程不存在或已下架，暂不能购买');
  const access = accessTo(course, entitlements, now);

  // The learner repeats a tap whose order is already paid: that order again, nothing to pay.
  if (entitlements.some((e) => e.status === 'active' && e.source?.kind === 'order' && e.source.orderId === outTradeNo)) {
    const order = await readOrder(db, outTradeNo);
    if (order) return { order: toOrderView(order), payment: null };
  }
  const price = quote(course, access);
  if (price.reason === 'free') throw new DomainError('FREE_COURSE', '这门课程免费，无需购买，可直接学习');
  if (price.reason === 'owned') {
    throw new DomainError('ALREADY_OWNED', access === 'member' ? '这门课程已包含在你的会员中，可直接学习' : '你已购买这门课程，可直接学习');
  }

  const created: Order = {
    _id: outTradeNo,
    outTradeNo,
    openid,
    clientRequestKey: req.clientRequestKey,
    item: { kind: 'course', courseId: course._id, title: course.title, ...(course.cover ? { cover: course.cover } : {}) },
    amount: price.amount,
    ...(price.originalAmount ? { originalAmount: price.originalAmount } : {}),
    status: 'pending',
    provider: payments.current.name,
    createdAt: now,
    history: [{ from: null, to: 'pending', at: now, reason: 'created' }],
  };
  let order = created;
  try {
    await db.collection<OrderData>(ORDERS).add({ data: created });
  } catch (e) {
    if (!isDuplicateKey(e)) throw e;
    // A concurrent or earlier call with the same key inserted it first.
    const existing = await readOrder(db, outTradeNo);
    if (!existing || existing.openid !== openid) throw e;
    order = existing;
  }
  if (order.item.courseId !== req.courseId) throw new DomainError('CONFLICT', '这次购买请求已用于另一门课程，请重新点击购买');
  if (order.status !== 'pending') return { order: toOrderView(order), payment: null };
  return { order: toOrderView(order), payment: await paymentFor(payments.of(order.provider), order) };
}
