import { readIfExists, type Transaction } from '../../server/database';
import type { PaymentProviderName } from './model';

export const INCIDENTS = 'incidents';

/**
 * Something about money that the code refused to settle on its own and staff must look at:
 * - amountMismatch: the provider charged another amount than the order quoted (nothing granted)
 * - payerMismatch: someone other than the order's learner paid it (nothing granted)
 * - alreadyOwned: the learner paid for an item they already held through another order (nothing granted)
 * - unknownOrder: a payment for an order number we never issued
 * - rejectedNotification: a notification that is not a successful payment of our merchant
 * - suspiciousEvent: a notification the provider does not confirm (a payment it has not taken, a refund it
 *   has not done) or contradicts: nothing was applied; someone may be forging callbacks
 * - wrongRail: a provider reported a payment or refund of an order placed with the other provider: nothing
 *   was applied (an order is settled only by its own rail); money taken there must be given back by staff
 * - secondPayment: another transaction for an order that was already paid
 * - refundFailed: the provider refused or failed a refund; the order went back to where it came from
 * - refundMismatch: a refund reported done that the order was not waiting for (another number, amount or state)
 */
export type IncidentKind =
  | 'amountMismatch'
  | 'payerMismatch'
  | 'alreadyOwned'
  | 'unknownOrder'
  | 'rejectedNotification'
  | 'suspiciousEvent'
  | 'wrongRail'
  | 'secondPayment'
  | 'refundFailed'
  | 'refundMismatch';

export interface Incident {
  /** `<outTradeNo>:<kind>`: a replayed notification finds its incident instead of adding another */
  _id: string;
  kind: IncidentKind;
  provider: PaymentProviderName;
  outTradeNo: string;
  transactionId?: string;
  /** the order's learner, when the order exists */
  openid?: string;
  /** what was expected against what arrived, for the person who resolves it */
  detail: string;
  status: 'open' | 'resolved';
  createdAt: Date;
}

export const incidentId = (outTradeNo: string, kind: IncidentKind) => `${outTradeNo}:${kind}`;

/** Records an incident in the caller's transaction; recording the same one again changes nothing. */
export async function recordIncident(tx: Transaction, incident: Omit<Incident, '_id' | 'status'>): Promise<void> {
  const id = incidentId(incident.outTradeNo, incident.kind);
  if (await readIfExists(tx, INCIDENTS, id)) return;
  await tx.collection<Omit<Incident, '_id'>>(INCIDENTS).doc(id).set({ data: { ...incident, status: 'open' } });
}
