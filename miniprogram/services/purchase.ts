/**
 * Buying anything (a course, a course as a gift, a membership plan), written once for every page that
 * sells: confirm the price, order (the server prices it: the client only names the item, and the device
 * says how it can pay), pay the way the order's provider asks (services/pay.ts), then open the pay result
 * page. On the confirmation the learner is also asked (once, until they tick 总是保持以上选择) whether to
 * get the 购买成功通知: WeChat lets a page ask only right after a tap, and the notification is sent by the
 * payment callback, which may come before the pay sheet closes.
 */
import { config } from '../config';
import { messageOf, ServiceError, type ServiceErrorCode } from './cloud';
import { groupPath } from './groups';
import { cancelOrder, createOrder, newRequestKey, type CreatedOrder } from './orders';
import { pay, paymentContext, type PayOutcome } from './pay';
import { transport } from './transport/index';

/**
 * What is bought: the `createOrder` request without its key, which the purchase makes. A course bought for
 * oneself may carry the coupon the learner picked (`couponId`): with another coupon it is another order,
 * so another key. Gifts and membership plans take no coupon.
 */
export type PurchaseItem =
  | { courseId: string; couponId?: string }
  | { courseId: string; gift: true }
  | { courseId: string; startGroup: true }
  | { courseId: string; groupId: string }
  | { planId: string };

/**
 * Where the page keeps the `clientRequestKey` of the purchase under way (custom page fields): kept until
 * it succeeds or the learner cancels, so that a retry after a failure reaches the same order instead of
 * opening another; a purchase of another item (the same course as a gift, another plan) gets its own.
 */
export interface PurchaseHolder {
  purchaseKey: string;
  /** what `purchaseKey` is for */
  purchaseOf: string;
}

/**
 * - paid: the learner paid (or the order was paid already) and the result page (a group's page) is opening,
 *   except for a seat in a group, whose page stays and reads the group again
 * - stopped: the learner declined or cancelled, or it failed: a toast said why; `code` is the server's
 *   refusal, when it refused (e.g. ALREADY_OWNED: the page should read what the learner holds again)
 */
export type PurchaseOutcome = { status: 'paid' } | { status: 'stopped'; code?: ServiceErrorCode };

const toast = (title: string) => void wx.showToast({ title, icon: 'none' });

/**
 * The pay result page for an order: a course's page waits for the course to open; others wait for the order.
 * A group-buy payment opens no course by itself: opening a group shows the group (`G` + the leader's order
 * number, domain/groups/model.ts groupIdFor), to share; a seat is paid for on the group's page, which reads
 * the group again itself (null: no page to open).
 */
function resultUrl(item: PurchaseItem, order: CreatedOrder['order']): string | null {
  if ('groupId' in item) return null;
  if ('startGroup' in item) return groupPath(order.group?.id ?? `G${order.id}`);
  if ('courseId' in item && !('gift' in item)) return `/packages/order/result/index?courseId=${item.courseId}`;
  return `/packages/order/result/index?orderId=${order.id}`;
}

/**
 * `confirmation`: the modal that asks before paying; `null` when the page already showed the learner what
 * they pay on a checkout sheet of its own and this runs right after their tap on its 确认支付.
 */
export async function purchase(holder: PurchaseHolder, item: PurchaseItem, confirmation: { title: string; content: string } | null): Promise<PurchaseOutcome> {
  if (confirmation) {
    const { confirm } = await wx.showModal({ ...confirmation, confirmText: '确认支付', cancelText: '再想想' });
    if (!confirm) return { status: 'stopped' };
  }
  // Declining, or an old WeChat without the API, changes nothing: the purchase goes on without the message.
  await transport()
    .requestSubscribeMessage([config.subscribeTemplates.orderPaid])
    .catch(() => undefined);

  const of = JSON.stringify(item);
  if (!holder.purchaseKey || holder.purchaseOf !== of) Object.assign(holder, { purchaseKey: newRequestKey(), purchaseOf: of });
  let created: CreatedOrder;
  try {
    created = await createOrder({ ...item, clientRequestKey: holder.purchaseKey, ...(await paymentContext()) });
  } catch (e) {
    toast(messageOf(e, '下单失败，请稍后重试'));
    return { status: 'stopped', ...(e instanceof ServiceError ? { code: e.code } : {}) };
  }

  const { order, payment } = created;
  if (payment) {
    let outcome: PayOutcome;
    try {
      outcome = await pay(payment);
    } catch (e) {
      // The same key reaches the same order on the next tap.
      toast(messageOf(e, '支付未完成，请稍后重试'));
      return { status: 'stopped' };
    }
    if (outcome === 'cancelled') {
      holder.purchaseKey = '';
      toast('已取消支付');
      // Close the abandoned order (the next tap opens a new one). If this fails the order simply stays
      // unpaid: nothing to tell the learner.
      cancelOrder(order.id).catch(() => undefined);
      return { status: 'stopped' };
    }
  } else if (order.status !== 'paid') {
    // The order of this key was closed meanwhile: the next tap opens a new one.
    holder.purchaseKey = '';
    toast('订单已关闭，请重新购买');
    return { status: 'stopped' };
  }
  holder.purchaseKey = '';
  const url = resultUrl(item, order);
  if (url) void wx.navigateTo({ url });
  return { status: 'paid' };
}
