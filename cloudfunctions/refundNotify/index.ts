import { recordRejectedNotification } from '../../domain/orders/payment';
import { readCloudPayRefundNotification } from '../../domain/payments/cloudpay';
import { completeRefund, returnFailedRefund } from '../../domain/refunds/complete';
import { defineCallback } from '../../server/handler';
import { settings } from '../../server/settings';

/**
 * Cloud pay's refund callback (refund's `functionName`): a refund done completes its order once, revoking
 * what the order granted; a refund failed sends the order back with an incident.
 */
export const main = defineCallback(async (event, { db, now }) => {
  const reading = readCloudPayRefundNotification(event, settings.cloudPay.subMchId);
  if (!reading.ok) {
    await recordRejectedNotification(db, { provider: 'cloudPay', ...(reading.outTradeNo ? { outTradeNo: reading.outTradeNo } : {}), detail: `refund ${reading.reason}: ${reading.detail}` }, now);
    return reading.reason;
  }
  if (reading.outcome === 'failed') {
    return returnFailedRefund(db, { provider: 'cloudPay', outTradeNo: reading.outTradeNo, outRefundNo: reading.outRefundNo, detail: reading.detail }, now);
  }
  return completeRefund(db, reading.confirmation, now);
});
