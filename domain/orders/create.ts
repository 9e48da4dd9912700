import { createHash } from 'node:crypto';
import { isDuplicateKey, type Database } from '../../server/database';
import type { Payments } from '../../server/payments';
import { accessTo, entitlementsFor, type Entitlement, type EntitlementSource } from '../access/entitlements';
import { describeItem } from '../access/grant';
import { COURSES } from '../catalog/courses';
import type { Course } from '../catalog/model';
import type { CreateOrderResponse, OrderRequest, OrderView, PaymentContext } from '../contracts/orders';
import { DomainError } from '../errors';
import { activeMembership, membershipEntitlement, PLANS, type Plan } from '../membership/plans';
import { PaymentProviderError, type ClientPayment, type PaymentProvider } from '../payments/provider';
import { publicQuote, quote, type Quote } from '../pricing/quote';
import { pricingCourseIds } from '../pricing/rules';
import { ORDERS, type Order, type OrderItem } from './model';

/**
 * The order number of a learner's tap: the same (learner, request key) always gives the same number, so
 * two concurrent calls insert the same `_id` and only one insert succeeds. 31 characters of a SHA-256
 * (base64url: `[0-9A-Za-z_-]`, WeChat Pay's alphabet) after an `O`.
 */
export function outTradeNoFor(openid: string, clientRequestKey: string): string {
  return `O${createHash('sha256').update(`${openid}\n${clientRequestKey}`).digest('base64url').slice(0, 31)}`;
}

type OrderData = Omit<Order, '_id'> & { _id?: string };

/** The item as the learner sees it on an order: its refund rule reaches them as the order's refund view. */
function itemView(item: OrderItem): OrderItem {
  if (item.kind === 'membership') return item;
  const { refundRule: _rule, ...shown } = item;
  return shown;
}

export function toOrderView(order: Pick<Order, '_id' | 'item' | 'amount' | 'originalAmount' | 'status' | 'createdAt' | 'paidAt' | 'closedAt'>): OrderView {
  return {
    id: order._id,
    item: itemView(order.item),
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

async function paymentFor(provider: PaymentProvider, order: Order, paying: PaymentContext): Promise<ClientPayment> {
  try {
    return await provider.prepare(order, paying);
  } catch (e) {
    if (!(e instanceof PaymentProviderError)) throw e;
    console.error(e.message);
    throw new DomainError('PAYMENT_UNAVAILABLE', '暂时无法发起支付，请稍后再试');
  }
}

/** What an order will buy and its price, decided before the insert. */
interface Priced {
  item: OrderItem;
  price: Quote;
}

/** Why the learner cannot buy a course they may already study, by how they hold it. */
const OWNED_MESSAGES: Record<EntitlementSource['kind'] | 'member', string> = {
  order: '你已购买这门课程，可直接学习',
  gift: '你已领取好友赠送的这门课程，可直接学习',
  admin: '你已获赠这门课程，可直接学习',
  free: '你已拥有这门课程，可直接学习',
  member: '这门课程已包含在你的会员中，可直接学习',
};

function ownedMessage(course: Course, entitlements: Entitlement[], now: Date): string {
  if (accessTo(course, entitlements, now) === 'member') return OWNED_MESSAGES.member;
  const held = entitlements.find((e) => e.kind === 'course' && e.courseId === course._id && e.status === 'active');
  // Entitlements made before sources were recorded all came from orders.
  return OWNED_MESSAGES[held?.source?.kind ?? 'order'];
}

async function publishedCourse(db: Database, courseId: string): Promise<Course> {
  const { data } = await db.collection<Course>(COURSES).where({ _id: courseId, status: 'published' }).field({ title: true, cover: true, price: true, refundRule: true }).get();
  if (!data[0]) throw new DomainError('NOT_FOUND', '课程不存在或已下架，暂不能购买');
  return data[0];
}

const courseFields = (course: Course) => ({ courseId: course._id, title: course.title, ...(course.cover ? { cover: course.cover } : {}), refundRule: course.refundRule });

/**
 * A course for the buyer, at the price the rules give them (list, sale, member, upgrade), unless they
 * may study it already. Two requests, one after the other: the course, then the learner's entitlements
 * to it, to their membership and to the courses its price depends on (an upgrade's entry course).
 * A repeated tap whose order is already paid answers that order (`paid`).
 */
async function priceCourse(db: Database, openid: string, courseId: string, outTradeNo: string, now: Date): Promise<Priced | { paid: Order }> {
  const course = await publishedCourse(db, courseId);
  const entitlements = await entitlementsFor(db, openid, course._id, ...pricingCourseIds(course.price));
  if (entitlements.some((e) => e.status === 'active' && e.source?.kind === 'order' && e.source.orderId === outTradeNo)) {
    const order = await readOrder(db, outTradeNo);
    if (order) return { paid: order };
  }
  const price = quote(course, entitlements, now);
  if (price.reason === 'free') throw new DomainError('FREE_COURSE', '这门课程免费，无需购买，可直接学习');
  if (price.reason === 'owned') throw new DomainError('ALREADY_OWNED', ownedMessage(course, entitlements, now));
  return { item: { kind: 'course', ...courseFields(course) }, price };
}

/**
 * A course for a friend, at the price anyone pays (the buyer's membership or entry course is theirs, not
 * the friend's); the buyer may own it. One request: the course.
 */
async function priceGift(db: Database, courseId: string, now: Date): Promise<Priced> {
  const course = await publishedCourse(db, courseId);
  const price = publicQuote(course, now);
  if (price.reason === 'free') throw new DomainError('FREE_COURSE', '这门课程免费，好友可直接学习，分享课程给好友即可');
  return { item: { kind: 'gift', ...courseFields(course) }, price };
}

/**
 * A membership plan at its price; a member may buy one (it extends their membership), unless their
 * membership never ends. One round trip of two requests: the plan, the membership by its `_id`.
 */
async function pricePlan(db: Database, openid: string, planId: string, now: Date): Promise<Priced> {
  const [plans, membership] = await Promise.all([
    db.collection<Plan>(PLANS).where({ _id: planId, status: 'published' }).get(),
    membershipEntitlement(db, openid),
  ]);
  const plan = plans.data[0];
  if (!plan) throw new DomainError('NOT_FOUND', '会员方案不存在或已下架，暂不能购买');
  const current = activeMembership(membership, now);
  if (current && !current.expiresAt) throw new DomainError('ALREADY_OWNED', '你的会员长期有效，无需再购买');
  const { title, durationDays, amount, originalAmount } = plan;
  return { item: { kind: 'membership', planId: plan._id, title, durationDays }, price: { amount, ...(originalAmount ? { originalAmount } : {}), reason: 'list' } };
}

/**
 * A learner's order for a course, a course as a gift, or a membership plan, priced here from the
 * database and the pricing rules (never from the client), and what the mini program needs to pay it.
 * The same (learner, request key) is the same order: a double tap, even concurrent, creates one (the
 * order number is derived from them, and an insert of an existing number fails). Requests: 3 for a
 * course (the course, the entitlements, the insert), 2 for a gift (the course, the insert), 3 for a
 * plan (the plan and the membership at once, the insert).
 */
export async function createOrder(db: Database, payments: Payments, openid: string, req: OrderRequest, now: Date): Promise<CreateOrderResponse> {
  const outTradeNo = outTradeNoFor(openid, req.clientRequestKey);
  const priced =
    req.kind === 'membership'
      ? await pricePlan(db, openid, req.planId, now)
      : req.kind === 'gift'
        ? await priceGift(db, req.courseId, now)
        : await priceCourse(db, openid, req.courseId, outTradeNo, now);
  if ('paid' in priced) return { order: toOrderView(priced.paid), payment: null };

  const { item, price } = priced;
  const created: Order = {
    _id: outTradeNo,
    outTradeNo,
    openid,
    clientRequestKey: req.clientRequestKey,
    item,
    amount: price.amount,
    ...(price.originalAmount ? { originalAmount: price.originalAmount } : {}),
    status: 'pending',
    provider: payments.for(req.platform, price.amount).name,
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
  // An existing order of the same key must be for the same thing.
  if (describeItem(order.item) !== describeItem(req)) throw new DomainError('CONFLICT', '这次购买请求已用于其他商品，请重新点击购买');
  if (order.status !== 'pending') return { order: toOrderView(order), payment: null };
  const paying = { ...(req.platform ? { platform: req.platform } : {}), ...(req.loginCode ? { loginCode: req.loginCode } : {}) };
  return { order: toOrderView(order), payment: await paymentFor(payments.of(order.provider), order, paying) };
}
