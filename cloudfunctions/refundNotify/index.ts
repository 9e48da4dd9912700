import { recordNotificationIncident } from '../../domain/orders/payment';
import { readCloudPayRefundNotification } from '../../domain/payments/cloudpay';
import { applyRefundNotification } from '../../domain/refunds/complete';
import { defineCallback } from '../../server/handler';
import { settings } from '../../server/settings';

/**
 * Cloud pay's refund callback (refund's `functionName`): what cloud pay confirms of the refund is applied
 * once: done completes its order, revoking what the order granted; failed sends the order back with an
 * incident.
 */
export const main = defineCallback(async (event, { db, payments, now }) => {
  const reading = readCloudPayRefundNotification(event, settings.cloudPay.subMchId);
  if (!reading.ok) {
    await recordNotificationIncident(db, { kind: 'rejectedNotification', provider: 'cloudPay', outTradeNo: reading.outTradeNo, detail: `refund ${reading.reason}: ${reading.detail}` }, now);
    return reading.reason;
  }
  const { outTradeNo, outRefundNo } = reading.outcome === 'failed' ? reading : reading.confirmation;
  const detail = reading.outcome === 'failed' ? reading.detail : `${reading.confirmation.amount} fen back (${reading.confirmation.refundId})`;
  return applyRefundNotification(db, payments.of('cloudPay'), { outTradeNo, outRefundNo }, { outcome: reading.outcome, detail }, now);
});
