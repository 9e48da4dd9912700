import { createHash } from 'node:crypto';
import { isDuplicateKey, readIfExists, type Database } from '../../server/database';
import type { Payments } from '../../server/payments';
import { accessTo, entitlementsFor, type Entitlement, type EntitlementSource } from '../access/entitlements';
import { describeItem } from '../access/grant';
import { COURSES } from '../catalog/courses';
import type { Course } from '../catalog/model';
import type { CreateOrderResponse, OrderRequest, PaymentContext } from '../contracts/orders';
import { DomainError } from '../errors';
import { activeMembership, membershipEntitlement, PLANS, type Plan } from '../membership/plans';
import { PaymentProviderError, type ClientPayment, type PaymentProvider } from '../payments/provider';
import { publicQuote, quote, type Quote } from '../pricing/quote';
import { pricingCourseIds } from '../pricing/rules';
import { couponDiscount, bestCoupon } from '../pricing/coupon';
import { COUPONS, effectiveStatus, type Coupon } from '../coupons/model';
import { closeOrder } from './close';
import { DEFAULT_GROUP_HOURS, GROUPS, groupIdFor, type Group } from '../groups/model';
import { seatRefusal } from '../groups/seats';
import { referralFor } from '../distribution/promoters';
import { ORDERS, type Order, type OrderCoupon, type OrderGroup, type OrderItem, type OrderReferral } from './model';
import { readOrder as readOrderIn } from './store';
import { toOrderView } from './view';

/**
 * The order number of a learner's tap: the same (learner, request key) always gives the same number, so
 * two concurrent calls insert the same `_id` and only one insert succeeds. 31 characters of a SHA-256
 * (base64url: `[0-9A-Za-z_-]`, WeChat Pay's alphabet) after an `O`.
 */
export function outTradeNoFor(openid: string, clientRequestKey: string): string {
  return `O${createHash('sha256').update(`${openid}\n${clientRequestKey}`).digest('base64url').slice(0, 31)}`;
}

type OrderData = Omit<Order, '_id'> & { _id?: string };

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

/** What an order will buy and its price, decided before the insert; `coupon` when one takes part of it off, `group` for a group-buy seat. */
interface Priced {
  item: OrderItem;
  price: Quote;
  coupon?: OrderCoupon;
  group?: OrderGroup;
  referral?: OrderReferral;
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

/** A course on sale, with what its order and price need; NOT_FOUND otherwise. */
export async function publishedCourse(db: Database, courseId: string): Promise<Course> {
  const { data } = await db.collection<Course>(COURSES).where({ _id: courseId, status: 'published' }).field({ title: true, cover: true, price: true, refundRule: true }).get();
  if (!data[0]) throw new DomainError('NOT_FOUND', '课程不存在或已下架，暂不能购买');
  return data[0];
}

const courseFields = (course: Course) => ({ courseId: course._id, title: course.title, ...(course.cover ? { cover: course.cover } : {}), refundRule: course.refundRule });

/**
 * The learner's coupons a course order may use: the one they chose (of theirs), or all their available
 * ones when the best is asked for. One request.
 */
async function couponsFor(db: Database, openid: string, wanted: { id: string } | 'best'): Promise<Coupon[]> {
  const query = wanted === 'best' ? { openid, status: db.command.in(['available', 'locked']) } : { _id: wanted.id, openid };
  const { data } = await db.collection<Coupon>(COUPONS).where(query).limit(100).get();
  if (wanted !== 'best' && !data[0]) throw new DomainError('NOT_FOUND', '优惠券不存在');
  return data;
}

/** The coupon part of an order: the one chosen (refused with the reason when it cannot be used) or the best one. */
function pickCoupon(coupons: Coupon[], wanted: { id: string } | 'best', courseId: string, price: Quote, now: Date): OrderCoupon | undefined {
  const picked =
    wanted === 'best'
      ? bestCoupon(coupons, courseId, price, now)
      : (() => {
          const priced = couponDiscount(coupons[0]!, courseId, price, now);
          if ('refusal' in priced) throw new DomainError('CONFLICT', `这张优惠券不能使用：${priced.refusal}`);
          return { coupon: coupons[0]!, discount: priced.discount };
        })();
  if (!picked) return undefined;
  const { coupon, discount } = picked;
  return { id: coupon._id, campaignId: coupon.campaignId, title: coupon.title, discount, returnOnRefund: coupon.returnOnRefund ?? false };
}

/**
 * A course for the buyer, at the price the rules give them (list, sale, member, upgrade), less the coupon
 * they chose or the best one they hold, or at the group price for a seat, unless they may study it
 * already. Two round trips: the course, then the learner's entitlements to it, to their membership and to
 * the courses its price depends on (an upgrade's entry course), with their referral binding, their coupons
 * when a coupon is wanted and the group when they join one.
 * A repeated tap whose order is already paid answers that order (`paid`).
 */
async function priceCourse(db: Database, openid: string, req: Extract<OrderRequest, { kind: 'course' }>, outTradeNo: string, now: Date): Promise<Priced | { paid: Order }> {
  const course = await publishedCourse(db, req.courseId);
  const [entitlements, coupons, joined, referral] = await Promise.all([
    entitlementsFor(db, openid, course._id, ...pricingCourseIds(course.price)),
    req.coupon ? couponsFor(db, openid, req.coupon) : [],
    typeof req.group === 'object' ? groupToJoin(db, openid, req.group.id, course._id, now) : undefined,
    referralFor(db, openid, course._id, now),
  ]);
  if (entitlements.some((e) => e.status === 'active' && e.source?.kind === 'order' && e.source.orderId === outTradeNo)) {
    const order = await readOrder(db, outTradeNo);
    if (order) return { paid: order };
  }
  const group = req.group && seatOf(course, outTradeNo, joined);
  const price = quote(course, entitlements, now, group ? { groupAmount: group.amount } : {});
  if (price.reason === 'free') throw new DomainError('FREE_COURSE', '这门课程免费，无需购买，可直接学习');
  if (price.reason === 'owned') throw new DomainError('ALREADY_OWNED', ownedMessage(course, entitlements, now));
  const coupon = req.coupon && pickCoupon(coupons, req.coupon, course._id, price, now);
  return { item: { kind: 'course', ...courseFields(course) }, price, ...(coupon ? { coupon } : {}), ...(group ? { group: group.seat } : {}), ...(referral ? { referral } : {}) };
}

/** The open group a learner asks to join, checked before they pay (their payment's transaction decides). */
async function groupToJoin(db: Database, openid: string, groupId: string, courseId: string, now: Date): Promise<Group> {
  const group = (await db.collection<Group>(GROUPS).where({ _id: groupId }).get()).data[0];
  if (!group || group.courseId !== courseId) throw new DomainError('NOT_FOUND', '拼团不存在');
  const why = seatRefusal(group, openid, now);
  if (why) throw new DomainError('CONFLICT', why);
  return group;
}

/** The seat a group order pays for: in a new group as the course's group-buy says now, or in the group joined, at its price. */
function seatOf(course: Course, outTradeNo: string, joined: Group | undefined): { seat: OrderGroup; amount: number } {
  if (joined) return { seat: { id: joined._id, leader: false, size: joined.size, hours: Math.round((joined.expiresAt.getTime() - joined.createdAt.getTime()) / 3_600_000) }, amount: joined.amount };
  const groupBuy = course.price.groupBuy;
  if (!groupBuy) throw new DomainError('CONFLICT', '这门课程没有拼团活动');
  return { seat: { id: groupIdFor(outTradeNo), leader: true, size: groupBuy.size, hours: groupBuy.hours ?? DEFAULT_GROUP_HOURS }, amount: groupBuy.amount };
}

/**
 * A course for a friend, at the price anyone pays (the buyer's membership or entry course is theirs, not
 * the friend's); the buyer may own it. One round trip: the course and the buyer's referral binding.
 */
async function priceGift(db: Database, openid: string, courseId: string, now: Date): Promise<Priced> {
  const [course, referral] = await Promise.all([publishedCourse(db, courseId), referralFor(db, openid, courseId, now)]);
  const price = publicQuote(course, now);
  if (price.reason === 'free') throw new DomainError('FREE_COURSE', '这门课程免费，好友可直接学习，分享课程给好友即可');
  return { item: { kind: 'gift', ...courseFields(course) }, price, ...(referral ? { referral } : {}) };
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

/** Inserts the order; when its number exists (a concurrent or earlier call with the same key), answers that order. */
async function insertOrder(db: Database, created: Order): Promise<Order> {
  try {
    await db.collection<OrderData>(ORDERS).add({ data: created });
    return created;
  } catch (e) {
    if (!isDuplicateKey(e)) throw e;
    const existing = await readOrder(db, created._id);
    if (!existing || existing.openid !== created.openid) throw e;
    return existing;
  }
}

/** Thrown inside the locking transaction: the coupon is held by another unpaid order of the learner's. */
class HeldByOrder {
  constructor(readonly orderId: string) {}
}

/**
 * Inserts an order using a coupon and locks the coupon, in one transaction: the order's number and the
 * coupon are read first, so a concurrent call with the same key finds the order, and two orders cannot
 * both lock one coupon. A coupon another unpaid order of the learner's holds (a pay sheet they left) is
 * taken over: that order is closed (at the provider first, returning the coupon), then the lock is tried
 * again; a coupon that order's payment used meanwhile is refused.
 */
async function insertOrderWithCoupon(db: Database, payments: Payments, created: Order & { coupon: OrderCoupon }, now: Date): Promise<Order> {
  const lock = () =>
    db.runTransaction(async (tx) => {
      const existing = await readOrderIn(tx, created._id);
      if (existing) return existing;
      const coupon = await readIfExists<Omit<Coupon, '_id'>>(tx, COUPONS, created.coupon.id);
      if (!coupon || coupon.openid !== created.openid) throw new DomainError('NOT_FOUND', '优惠券不存在');
      if (coupon.status === 'locked' && coupon.orderId !== created._id) throw new HeldByOrder(coupon.orderId!);
      const status = effectiveStatus(coupon, now);
      if (status !== 'available') throw new DomainError('CONFLICT', status === 'expired' ? '优惠券已过期' : '优惠券已使用');
      const { _id, ...data } = created;
      await Promise.all([tx.collection(COUPONS).doc(created.coupon.id).update({ data: { status: 'locked', orderId: _id } }), tx.collection<OrderData>(ORDERS).doc(_id).set({ data })]);
      return created;
    });
  try {
    return await lock();
  } catch (e) {
    if (!(e instanceof HeldByOrder)) throw e;
    const holder = await readOrder(db, e.orderId);
    if (holder && (await closeOrder(db, payments, holder, 'its coupon was taken by a newer order', now)) === 'paid') throw new DomainError('CONFLICT', '优惠券已用于另一笔订单');
    // Another order of the learner's took it in between: theirs to finish or cancel first.
    return lock().catch((again: unknown) => {
      throw again instanceof HeldByOrder ? new DomainError('CONFLICT', '优惠券正在另一笔订单中使用，请稍后再试') : again;
    });
  }
}

/**
 * A learner's order for a course, a course as a gift, or a membership plan, priced here from the
 * database and the pricing rules (never from the client), and what the mini program needs to pay it.
 * The same (learner, request key) is the same order: a double tap, even concurrent, creates one (the
 * order number is derived from them, and an insert of an existing number fails). Requests: 4 for a
 * course (the course; the entitlements and the learner's referral binding at once; the insert), 3 for a
 * gift (the course and the binding at once, the insert), 3 for a plan (the plan and the membership at
 * once, the insert). A course with a coupon: 10 (the course; the entitlements, the coupons and the binding
 * at once; a transaction: begin, the order's number, the coupon, the lock and the insert at once, commit);
 * a group seat joined: one more (the group, read with the entitlements). A buyer bound to a referrer: 3
 * more at once (the school's settings, the referrer, whether the buyer is new).
 */
export async function createOrder(db: Database, payments: Payments, openid: string, req: OrderRequest, now: Date): Promise<CreateOrderResponse> {
  const outTradeNo = outTradeNoFor(openid, req.clientRequestKey);
  const priced =
    req.kind === 'membership'
      ? await pricePlan(db, openid, req.planId, now)
      : req.kind === 'gift'
        ? await priceGift(db, openid, req.courseId, now)
        : await priceCourse(db, openid, req, outTradeNo, now);
  if ('paid' in priced) return { order: toOrderView(priced.paid), payment: null };

  const { item, price, coupon, group, referral } = priced;
  const amount = price.amount - (coupon?.discount ?? 0);
  const created: Order = {
    _id: outTradeNo,
    outTradeNo,
    openid,
    clientRequestKey: req.clientRequestKey,
    item,
    amount,
    ...(price.originalAmount ? { originalAmount: price.originalAmount } : {}),
    ...(coupon ? { coupon } : {}),
    ...(group ? { group } : {}),
    ...(referral ? { referral } : {}),
    status: 'pending',
    provider: payments.for(req.platform, amount).name,
    createdAt: now,
    history: [{ from: null, to: 'pending', at: now, reason: 'created' }],
  };
  const order = created.coupon ? await insertOrderWithCoupon(db, payments, { ...created, coupon: created.coupon }, now) : await insertOrder(db, created);
  // An existing order of the same key must be for the same thing.
  if (describeItem(order.item) !== describeItem(req)) throw new DomainError('CONFLICT', '这次购买请求已用于其他商品，请重新点击购买');
  if (order.status !== 'pending') return { order: toOrderView(order), payment: null };
  const paying = { ...(req.platform ? { platform: req.platform } : {}), ...(req.loginCode ? { loginCode: req.loginCode } : {}) };
  return { order: toOrderView(order), payment: await paymentFor(payments.of(order.provider), order, paying) };
}
