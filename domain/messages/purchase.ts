import type { Messages } from '../../server/messages';
import type { Order } from '../orders/model';

/** WeChat's `thing` fields hold at most 20 characters. */
const thing = (text: string) => (text.length > 20 ? `${text.slice(0, 19)}…` : text);

/** Beijing time as the message shows it: 2026-11-24 09:05. */
function beijing(at: Date): string {
  return new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
}

/** Where the message takes the learner: what they bought, or the gift to pass on. */
function pageFor(order: Order): string {
  switch (order.item.kind) {
    case 'course':
      return `packages/course/detail/index?id=${order.item.courseId}`;
    case 'membership':
      return 'packages/member/plans/index';
    case 'gift':
      return `packages/gift/claim/index?giftId=${order._id}`;
  }
}

/**
 * Tells the learner their purchase went through (the `orderPaid` template, "购买成功通知"), if they
 * accepted it when paying; the message opens what they bought. Never fails the payment: access is granted
 * already, and a message that cannot be sent is logged, not retried.
 */
export async function sendPurchaseNotice(messages: Messages, order: Order, paidAt: Date): Promise<void> {
  try {
    await messages.notify({
      purpose: 'orderPaid',
      touser: order.openid,
      page: pageFor(order),
      values: {
        orderNumber: order._id,
        itemTitle: thing(order.item.title),
        amount: `${(order.amount / 100).toFixed(2)}元`,
        paidAt: beijing(paidAt),
      },
    });
  } catch (e) {
    console.error(`purchase notice for order ${order._id} not sent:`, e);
  }
}
