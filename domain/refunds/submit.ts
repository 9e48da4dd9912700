import type { Database } from '../../server/database';
import type { Payments } from '../../server/payments';
import type { Order, OrderRefund } from '../orders/model';
import { RefundRefusedError } from '../payments/provider';
import { returnFailedRefund } from './complete';

/**
 * The provider's refund number of an order's refund attempt: derived, so asking again for the same
 * attempt (a retried approval, reconciliation) can never refund twice; a new attempt after a failure
 * gets a new number, since the provider answers a failed number with its old failure. At most 32 + 2 +
 * digits characters of `[0-9A-Za-z_-]`, within WeChat Pay's 64.
 */
export const refundNumberFor = (orderId: string, attempt: number) => `${orderId}-R${attempt}`;

/**
 * - submitted: the provider accepted the refund; its notification (or reconciliation) completes it
 * - queued: the provider could not be reached or did not say; the order stays `refunding` and
 *   reconciliation asks again under the same number
 * - returned: the provider refused it for good; the order went back, with an incident
 */
export type SubmitOutcome = 'submitted' | 'queued' | 'returned';

/** Asks the order's provider for `refund`. The order is already `refunding` (committed first), so a crash here loses nothing. */
export async function submitRefund(db: Database, payments: Payments, order: Order, refund: OrderRefund, now: Date): Promise<SubmitOutcome> {
  try {
    await payments.of(order.provider).refund(order, refund);
    return 'submitted';
  } catch (e) {
    if (e instanceof RefundRefusedError) {
      await returnFailedRefund(db, { provider: order.provider, outTradeNo: order.outTradeNo, outRefundNo: refund.outRefundNo, detail: e.refusal }, now);
      return 'returned';
    }
    // Unknown outcome (a timeout, a provider error it asks to retry): the same number again is safe.
    console.error(`refund ${refund.outRefundNo}: left for reconciliation:`, e);
    return 'queued';
  }
}
