/**
 * A coupon's life with the order that uses it, each step inside the order's own transaction so the coupon
 * and the order never disagree: locked when the order is created, used when the provider confirms the
 * payment, available again when the order closes unpaid or its money buys nothing, and when a refund
 * completes if its campaign says so (`returnOnRefund`). Each step touches the coupon only while it is
 * this order's, so a late event of an old order cannot take a coupon another order holds.
 */
import { readIfExists, type Transaction } from '../../server/database';
import type { Order } from '../orders/model';
import { COUPONS, type Coupon } from './model';

type Stored = Omit<Coupon, '_id'>;

/** The order's coupon as stored now, when the order has one (read, so locked until commit). */
async function couponOf(tx: Transaction, order: Pick<Order, 'coupon'>): Promise<Stored | null> {
  return order.coupon ? readIfExists<Stored>(tx, COUPONS, order.coupon.id) : null;
}

const heldBy = (coupon: Stored | null, order: Pick<Order, '_id'>): coupon is Stored => coupon?.orderId === order._id;

/** The order closed unpaid, or was paid with money that buys nothing: its locked coupon is the learner's again. */
export async function releaseCoupon(tx: Transaction, order: Pick<Order, '_id' | 'coupon'>): Promise<void> {
  const coupon = await couponOf(tx, order);
  if (heldBy(coupon, order) && coupon.status === 'locked') await tx.collection(COUPONS).doc(order.coupon!.id).update({ data: { status: 'available' } });
}

/**
 * The order is paid: its coupon is used. A coupon released meanwhile (the order had closed before the late
 * payment) is taken back when still unused, since the learner paid the discounted price; one already on
 * another order stays there.
 */
export async function useCoupon(tx: Transaction, order: Pick<Order, '_id' | 'coupon'>, now: Date): Promise<void> {
  const coupon = await couponOf(tx, order);
  if (!coupon || coupon.status === 'used' || (coupon.status === 'locked' && !heldBy(coupon, order))) return;
  await tx.collection(COUPONS).doc(order.coupon!.id).update({ data: { status: 'used', orderId: order._id, usedAt: now } });
}

/** A completed refund gives the order's coupon back when its campaign said so when it was claimed. */
export async function returnRefundedCoupon(tx: Transaction, order: Pick<Order, '_id' | 'coupon'>): Promise<void> {
  if (!order.coupon?.returnOnRefund) return;
  const coupon = await couponOf(tx, order);
  if (heldBy(coupon, order) && coupon.status === 'used') await tx.collection(COUPONS).doc(order.coupon.id).update({ data: { status: 'available' } });
}
