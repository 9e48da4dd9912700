import { applyPaymentNotification, recordNotificationIncident } from '../../domain/orders/payment';
import { readCloudPayNotification } from '../../domain/payments/cloudpay';
import { defineCallback } from '../../server/handler';
import { settings } from '../../server/settings';

/** Cloud pay's payment callback (unifiedOrder's `functionName`): applies the payment cloud pay confirms to its order, once. */
export const main = defineCallback(async (event, { db, payments, messages, now }) => {
  const reading = readCloudPayNotification(event, settings.cloudPay.subMchId);
  if (!reading.ok) {
    await recordNotificationIncident(db, { kind: 'rejectedNotification', provider: 'cloudPay', outTradeNo: reading.outTradeNo, detail: `${reading.reason}: ${reading.detail}` }, now);
    return reading.reason;
  }
  return applyPaymentNotification(db, payments, messages, reading.confirmation, now);
});
