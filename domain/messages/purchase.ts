import type { Messages } from '../../server/messages';
import type { Order } from '../orders/model';
import { beijingMinute, thing } from './fields';


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
        paidAt: beijingMinute(paidAt),
      },
    });
  } catch (e) {
    console.error(`purchase notice for order ${order._id} not sent:`, e);
  }
}
