import { ORDERS, type Order } from '../../domain/orders/model';
import { applyPaymentNotification, recordNotificationIncident } from '../../domain/orders/payment';
import { refundOrderIdFor } from '../../domain/payments/virtualgoods';
import { DELIVER_EVENT, readVirtualPaymentDelivery, readVirtualRefund, REFUND_EVENT } from '../../domain/payments/virtualpay';
import { applyRefundNotification } from '../../domain/refunds/complete';
import type { Database } from '../../server/database';
import { defineMessagePush } from '../../server/handler';
import { settings } from '../../server/settings';

/**
 * The refund of our order that WeChat reports (`MchRefundId` is xpay's refund order id, derived from the
 * order's refund number), with the order's learner, whom xpay asks about; null when the order waits for no
 * such refund.
 */
async function refundOf(db: Database, outTradeNo: string, xpayRefundId: string) {
  const { data } = await db.collection<Order>(ORDERS).where({ _id: outTradeNo }).field({ refund: true, openid: true }).get();
  const order = data[0];
  const outRefundNo = order?.refund?.outRefundNo;
  return order && outRefundNo && refundOrderIdFor(outRefundNo) === xpayRefundId ? { outTradeNo, outRefundNo, openid: order.openid } : null;
}

/**
 * Virtual payment's message push (cloud.config.json `messagePush`): `xpay_goods_deliver_notify` applies the
 * payment that xpay/query_order confirms to its order once (the same path as cloud pay's payNotify);
 * `xpay_refund_notify` completes or returns the order's refund once, as xpay confirms it. What cannot be
 * applied is recorded for staff and acknowledged, so WeChat stops delivering it; only an unexpected
 * failure (WeChat unreachable included) asks for another delivery.
 */
export const main = defineMessagePush(async (event, { db, payments, messages, now }) => {
  if (event.Event === DELIVER_EVENT) {
    const reading = readVirtualPaymentDelivery(event, settings.virtualPayment);
    if (!reading.ok) {
      await recordNotificationIncident(db, { kind: 'rejectedNotification', provider: 'virtualPayment', outTradeNo: reading.outTradeNo, detail: `${reading.reason}: ${reading.detail}` }, now);
      return reading.reason;
    }
    return applyPaymentNotification(db, payments, messages, reading.confirmation, now);
  }
  if (event.Event === REFUND_EVENT) {
    const reading = readVirtualRefund(event);
    if (!reading.ok) {
      await recordNotificationIncident(db, { kind: 'rejectedNotification', provider: 'virtualPayment', outTradeNo: reading.outTradeNo, detail: `refund ${reading.detail}` }, now);
      return 'rejected';
    }
    const refund = await refundOf(db, reading.outTradeNo, reading.xpayRefundId);
    if (!refund) {
      // Not a refund we asked for: unverifiable without our number, so nothing is applied.
      await recordNotificationIncident(db, { kind: 'suspiciousEvent', provider: 'virtualPayment', outTradeNo: reading.outTradeNo, detail: `refund ${reading.xpayRefundId} notified, which the order is not waiting for` }, now);
      return 'unconfirmed';
    }
    const detail = reading.outcome === 'failed' ? reading.detail : `${reading.refund.amount} fen back (${reading.refund.refundId})`;
    return applyRefundNotification(db, payments.of('virtualPayment'), refund, { outcome: reading.outcome, detail }, now);
  }
  // Another event routed here by mistake: nothing of ours to do, and retrying would not change that.
  return `ignored ${String(event.Event)}`;
});
