import type { Database } from '../../server/database';
import type { Payments } from '../../server/payments';
import type { Order } from '../orders/model';
import { refundRefOf } from '../payments/provider';
import { applyRefundState, type FailedRefundOutcome, type RefundOutcome } from './complete';
import { submitRefund } from './submit';

/**
 * What reconciliation did with a refunding order: a refund outcome when the provider reported it done;
 * `processing` while the provider works on it; `returned` when the provider reports it failed (the order
 * went back, with an incident); `resubmitted` when the provider had never received it (the function that
 * approved it died before asking) and accepted it now, `queued` when it could not be asked again;
 * `failed` when the provider or database failed (logged; the next run tries again).
 */
export type RefundSettleOutcome = RefundOutcome | FailedRefundOutcome | 'processing' | 'resubmitted' | 'queued' | 'failed';
export type RefundSettleReport = Record<RefundSettleOutcome, number>;

export const emptyRefundReport = (): RefundSettleReport => ({ refunded: 0, replay: 0, incident: 0, processing: 0, returned: 0, resubmitted: 0, queued: 0, failed: 0 });

/**
 * Settles one refunding order from its provider's answer, through the same paths as the refund callback
 * (`completeRefund`, `returnFailedRefund`), so a callback arriving later is a replay. A refund the
 * provider never received is asked for again under the same number, which can never refund twice.
 */
export async function settleRefund(db: Database, payments: Payments, order: Order, now: Date): Promise<RefundSettleOutcome> {
  const { refund } = order;
  if (!refund) throw new Error(`order ${order._id} is refunding without a refund`);
  const ref = refundRefOf({ ...order, refund });
  const outcome = await applyRefundState(db, order.provider, ref, await payments.of(order.provider).queryRefund(ref), now);
  if (outcome !== 'unknown') return outcome;
  const submitted = await submitRefund(db, payments, order, refund, now);
  return submitted === 'submitted' ? 'resubmitted' : submitted;
}
