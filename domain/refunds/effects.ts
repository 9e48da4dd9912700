import { readIfExists, type Transaction } from '../../server/database';
import {
  courseEntitlementId,
  ENTITLEMENTS,
  membershipEntitlementId,
  sameSource,
  type Entitlement,
  type EntitlementSource,
  type MembershipGrant,
} from '../access/entitlements';
import { returnRefundedCoupon } from '../coupons/orders';
import { reverseReferral } from '../distribution/commissions';
import { freeSeat } from '../groups/seats';
import { holdGiftForRefund, markGiftRefunded, releaseGiftFromRefund } from '../gifts/refunds';
import type { Order, OrderItem } from '../orders/model';
import { giftRefusal } from './rules';

type ItemKind = OrderItem['kind'];

/** An order of one item kind, as a refund effect of that kind receives it. */
export type OrderOf<K extends ItemKind> = Order & { item: Extract<OrderItem, { kind: K }> };

/**
 * One thing a completed refund undoes, inside `completeRefund`'s transaction (so it commits with the
 * order's `refunding -> refunded` or not at all). Single-document operations only (a transaction's rule);
 * it must be a no-op when there is nothing to undo, since a refund may follow a payment that bought nothing.
 */
export type RefundEffect<K extends ItemKind = ItemKind> = (tx: Transaction, order: OrderOf<K>, now: Date) => Promise<void>;

const DAY_MS = 86_400_000;

/** A membership extension, as a refund marks it: the days it added were taken back. */

/**
 * The learner's course entitlement becomes `revoked` when `source` granted it; one granted by another
 * source (another order, a gift, a later purchase) is left alone. A new grant re-activates it.
 */
async function revokeCourse(tx: Transaction, openid: string, courseId: string, source: EntitlementSource, now: Date): Promise<void> {
  const id = courseEntitlementId(openid, courseId);
  const entitlement = await readIfExists<Omit<Entitlement, '_id'>>(tx, ENTITLEMENTS, id);
  if (entitlement?.status !== 'active' || !sameSource(entitlement.source, source)) return;
  await tx.collection(ENTITLEMENTS).doc(id).update({ data: { status: 'revoked', revokedAt: now } });
}

/** The access this course order granted is revoked. */
const revokeCourseAccess: RefundEffect<'course'> = (tx, order, now) => revokeCourse(tx, order.openid, order.item.courseId, { kind: 'order', orderId: order._id }, now);

/**
 * The days this order added to the learner's membership are taken back: its extension in `grants` is
 * marked `refundedAt` and the expiry moves earlier by its days. Days come off the end, so a stacked
 * renewal keeps what remains after them; when nothing remains (the expiry at or before now) the
 * membership is `revoked`, as a refunded course is. A membership granted for good keeps no expiry to move.
 * Nothing happens when this order extended nothing or was taken back already.
 */
const takeBackMembershipDays: RefundEffect<'membership'> = async (tx, order, now) => {
  const id = membershipEntitlementId(order.openid);
  const membership = await readIfExists<Omit<Entitlement, '_id'>>(tx, ENTITLEMENTS, id);
  const grants: MembershipGrant[] = membership?.grants ?? [];
  const index = grants.findIndex((g) => sameSource(g.source, { kind: 'order', orderId: order._id }));
  const grant = grants[index];
  if (!membership || !grant || grant.refundedAt) return;
  const expiresAt = membership.expiresAt && new Date(membership.expiresAt.getTime() - grant.durationDays * DAY_MS);
  const ended = membership.status === 'active' && expiresAt !== undefined && expiresAt <= now;
  await tx.collection(ENTITLEMENTS).doc(id).update({
    data: {
      grants: grants.map((g, i) => (i === index ? { ...g, refundedAt: now } : g)),
      ...(expiresAt ? { expiresAt } : {}),
      ...(ended ? { status: 'revoked', revokedAt: now } : {}),
    },
  });
};

/** A member refunded while their group-buy is open gives the seat back to the next friend. */
const giveSeatBack: RefundEffect<'course'> = (tx, order) => freeSeat(tx, order);

/** The referrer's commission on the order is reversed, and an invitation reward not yet given is voided. */
const reverseCommission = (tx: Transaction, order: Order, now: Date) => reverseReferral(tx, order, now);

/** The coupon the order used goes back to the learner when its campaign said so. */
const returnCoupon: RefundEffect<'course'> = (tx, order) => returnRefundedCoupon(tx, order);

/**
 * The gift this order paid for is refunded: nobody can claim it any more, and a friend who claimed it
 * loses the course it gave them (the money went back, so the access goes too); a course the friend holds
 * through another source stays.
 */
const takeBackGift: RefundEffect<'gift'> = async (tx, order, now) => {
  const gift = await markGiftRefunded(tx, order._id, now);
  if (gift?.status === 'claimed' && gift.claimedBy) await revokeCourse(tx, gift.claimedBy, gift.courseId, { kind: 'gift', giftId: order._id }, now);
};

/**
 * What completing a refund undoes, by what the order bought, run in order: the one refund path that
 * growth features extend (commission reversal, group-buy seats, coupons returned) instead of writing
 * their own. Every kind must have its entry, so a new kind cannot be refunded without deciding this.
 */
export const refundEffects: { readonly [K in ItemKind]: readonly RefundEffect<K>[] } = {
  course: [revokeCourseAccess, returnCoupon, giveSeatBack, reverseCommission],
  membership: [takeBackMembershipDays],
  gift: [takeBackGift, reverseCommission],
};

/** The effects of the order's item kind. */
export function effectsFor(order: Order): readonly RefundEffect[] {
  // The table pairs each kind with effects of that kind, which TypeScript cannot follow through the lookup.
  return refundEffects[order.item.kind] as readonly RefundEffect[];
}

/**
 * What a refund under way keeps still until it ends, for an item that could change hands meanwhile (a
 * gift a friend could claim while its money goes back). `hold` runs in the transaction that takes the
 * order from `paid` into a refund (the learner's request, staff's own approval) and answers why the
 * learner may not ask (then nothing was held); `release` runs in the one that sends it back to `paid`
 * (a rejection, a failed refund). Completion replaces the hold with the effects.
 */
export interface RefundHold {
  hold(tx: Transaction, order: Order): Promise<string | undefined>;
  release(tx: Transaction, order: Order): Promise<void>;
}

/** An unclaimed gift is held (`refunding`), re-read in the transaction so a claim and a request serialize on it. */
const giftHold: RefundHold = {
  hold: async (tx, order) => giftRefusal((await holdGiftForRefund(tx, order._id))?.status),
  release: (tx, order) => releaseGiftFromRefund(tx, order._id),
};

/** The hold of the order's item kind, if its item can change while a refund is under way. */
export const holdFor = (order: Pick<Order, 'item'>): RefundHold | undefined => (order.item.kind === 'gift' ? giftHold : undefined);
