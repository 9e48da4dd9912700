/**
 * What virtual payment asks of an order, apart from talking to WeChat (virtualpay.ts): the product it
 * pays for, Apple's minimum on iOS, and the id of a refund at WeChat. Plain functions, no schema library.
 */
import { createHash } from 'node:crypto';
import type { OrderItem } from '../orders/model';
import { PaymentProviderError, type Platform } from './provider';

/** Apple settles virtual payment on iOS and takes no payment under 1 CNY (the platform reference, unconfirmed officially). */
export const IOS_MIN_AMOUNT = 100;

/** Why an order of `amount` fen cannot be paid with virtual payment on `platform`, in words for the learner. */
export function virtualPaymentRefusal(platform: Platform | undefined, amount: number): string | undefined {
  if (platform === 'ios' && amount < IOS_MIN_AMOUNT) return '在苹果手机上单笔支付不能低于 1 元，请在安卓手机或电脑上的微信中购买';
  return undefined;
}

/**
 * The product (道具) an order pays for, as registered in 虚拟支付 > 道具管理: one per item and price in fen,
 * because WeChat checks `goodsPrice` against the registered price. A course bought for oneself or as a gift
 * is the same product; a sale, member or upgrade price is another product of the same course.
 */
export function productIdFor(item: OrderItem, amount: number): string {
  const id = item.kind === 'membership' ? `plan-${item.planId}-${amount}` : `course-${item.courseId}-${amount}`;
  // WeChat's product ids: 1-64 of [0-9A-Za-z_-] (xpay start_upload_goods).
  if (id.length > 64) throw new PaymentProviderError('virtualPayment', `product id ${id} is longer than 64 characters`);
  return id;
}

/** xpay's refund order id: 8-32 of [0-9A-Za-z_-], derived from the refund's number so asking again is the same refund. */
export const refundOrderIdFor = (outRefundNo: string) => `R${createHash('sha256').update(outRefundNo).digest('base64url').slice(0, 31)}`;
