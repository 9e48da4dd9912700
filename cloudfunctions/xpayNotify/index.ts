import { ORDERS, type Order } from '../../domain/orders/model';
import { confirmPayment, recordRejectedNotification } from '../../domain/orders/payment';
import { refundOrderIdFor } from '../../domain/payments/virtualgoods';
import { DELIVER_EVENT, readVirtualPaymentDelivery, readVirtualRefund, REFUND_EVENT } from '../../domain/payments/virtualpay';
import { completeRefund, returnFailedRefund } from '../../domain/refunds/complete';
import type { Database } from '../../server/database';
import { defineMessagePush } from '../../server/handler';
import { settings } from '../../server/settings';

/**
 * The number our order gave the refund WeChat reports (`MchRefundId` is xpay's refund order id, derived
 * from it), or a stand-in that matches no refund, so that `completeRefund` records the mismatch.
 */
async function outRefundNoOf(db: Database, outTradeNo: string, xpayRefundId: string): Promise<string> {
  const { data } = await db.collection<Order>(ORDERS).where({ _id: outTradeNo }).field({ refund: true }).get();
  const outRefundNo = data[0]?.refund?.outRefundNo;
  return outRefundNo && refundOrderIdFor(outRefundNo) === xpayRefundId ? outRefundNo : `xpay:${xpayRefundId}`;
}

/**
 * Virtual payment's message push (cloud.config.json `messagePush`): `xpay_goods_deliver_notify` applies the
 * payment to its order once (the same path as cloud pay's payNotify); `xpay_refund_notify` completes or
 * returns the order's refund once. What cannot be applied is recorded for staff and acknowledged, so
 * WeChat stops delivering it; only an unexpected failure asks for another delivery.
 */
export const main = defineMessagePush(async (event, { db, messages, now }) => {
  if (event.Event === DELIVER_EVENT) {
    const reading = readVirtualPaymentDelivery(event, settings.virtualPayment);
    if (!reading.ok) {
      await recordRejectedNotification(db, { provider: 'virtualPayment', ...(reading.outTradeNo ? { outTradeNo: reading.outTradeNo } : {}), detail: `${reading.reason}: ${reading.detail}` }, now);
      return reading.reason;
    }
    return confirmPayment(db, messages, reading.confirmation, now);
  }
  if (event.Event === REFUND_EVENT) {
    const reading = readVirtualRefund(event);
    if (!reading.ok) {
      await recordRejectedNotification(db, { provider: 'virtualPayment', ...(reading.outTradeNo ? { outTradeNo: reading.outTradeNo } : {}), detail: `refund ${reading.detail}` }, now);
      return 'rejected';
    }
    const outRefundNo = await outRefundNoOf(db, reading.outTradeNo, reading.xpayRefundId);
    if (reading.outcome === 'failed') {
      return returnFailedRefund(db, { provider: 'virtualPayment', outTradeNo: reading.outTradeNo, outRefundNo, detail: reading.detail }, now);
    }
    return completeRefund(db, { ...reading.refund, outRefundNo }, now);
  }
  // Another event routed here by mistake: nothing of ours to do, and retrying would not change that.
  return `ignored ${String(event.Event)}`;
});
