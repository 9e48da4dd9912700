import { confirmPayment, recordRejectedNotification } from '../../domain/orders/payment';
import { readCloudPayNotification } from '../../domain/payments/cloudpay';
import { defineCallback } from '../../server/handler';
import { settings } from '../../server/settings';

/** Cloud pay's payment callback (unifiedOrder's `functionName`): applies the payment to its order once. */
export const main = defineCallback(async (event, { db, messages, now }) => {
  const reading = readCloudPayNotification(event, settings.cloudPay.subMchId);
  if (!reading.ok) {
    await recordRejectedNotification(db, { provider: 'cloudPay', ...(reading.outTradeNo ? { outTradeNo: reading.outTradeNo } : {}), detail: `${reading.reason}: ${reading.detail}` }, now);
    return reading.reason;
  }
  return confirmPayment(db, messages, reading.confirmation, now);
});
