import type { Database, Transaction } from '../../server/database';
import type { Messages } from '../../server/messages';
import type { Payments } from '../../server/payments';
import { recordReferral } from '../distribution/commissions';
import { takeSeat } from '../groups/seats';
import { startAutomaticRefund } from '../refunds/automatic';
import { submitRefund } from '../refunds/submit';
import { describeItem, grantAccess, runGrant, type GrantMode } from '../access/grant';
import { releaseCoupon, useCoupon } from '../coupons/orders';
import { sendPurchaseNotice } from '../messages/purchase';
import type { PaymentConfirmation } from '../payments/provider';
import { recordIncident, type IncidentKind } from './incidents';
import type { Order, PaymentProviderName } from './model';
import { readOrder, saveOrder } from './store';
import { transition } from './transitions';

/**
 * What a payment notification did:
 * - paid: the order became paid and the learner got access
 * - replay: this payment had been applied already (duplicate or late copy): nothing changed
 * - needsRefund: the money was recorded on the order but buys nothing; an incident tells staff why
 * - incident: no order to apply it to, or an order of the other provider; recorded for staff
 * - refunding: a group-buy payment that found no seat (the group full or ended): given back at once
 */
export type PaymentOutcome = 'paid' | 'replay' | 'needsRefund' | 'incident' | 'refunding';

/** What a payment notification did: a payment outcome once the provider confirmed it, or `unconfirmed` (recorded, nothing applied). */
export type NotifiedPaymentOutcome = PaymentOutcome | 'unconfirmed';

/** What a notification and the provider's own record of the payment disagree on, if anything. */
function contradiction(claimed: PaymentConfirmation, confirmed: PaymentConfirmation): string | undefined {
  const fields = (['transactionId', 'amount', 'payer'] as const).filter((f) => claimed[f] !== confirmed[f]);
  return fields.length ? fields.map((f) => `${f} ${String(claimed[f])} in the notification, ${String(confirmed[f])} at the provider`).join('; ') : undefined;
}

/**
 * Applies a payment notification only as far as the provider confirms it: the provider is asked for the
 * trade, and its answer (amount, payer, transaction), never the event's, goes through `confirmPayment`.
 * A notification the provider does not confirm changes nothing and is recorded for staff as a suspicious
 * event; one that contradicts the provider is recorded too, and the provider's payment applied. A provider
 * that cannot answer (an error, a timeout) fails the call, so the notification is delivered again. The
 * check costs one provider call and no database request (a purchase stays at 9).
 */
export async function applyPaymentNotification(
  db: Database,
  payments: Payments,
  messages: Messages,
  claimed: PaymentConfirmation,
  now: Date,
): Promise<NotifiedPaymentOutcome> {
  const provider = payments.of(claimed.provider);
  const confirmed = await provider.queryPayment({ outTradeNo: claimed.outTradeNo, openid: claimed.payer });
  if (!confirmed) {
    await recordNotificationIncident(
      db,
      { kind: 'suspiciousEvent', provider: provider.name, outTradeNo: claimed.outTradeNo, detail: `a payment of ${claimed.amount} fen by ${claimed.payer} (${claimed.transactionId}) that the provider has not taken` },
      now,
    );
    return 'unconfirmed';
  }
  const contradicted = contradiction(claimed, confirmed);
  if (contradicted) await recordNotificationIncident(db, { kind: 'suspiciousEvent', provider: provider.name, outTradeNo: claimed.outTradeNo, detail: contradicted }, now);
  return confirmPayment(db, payments, messages, confirmed, now);
}

/** Why a payment that arrived with this order cannot pay for it, if it cannot. */
function mismatch(order: Order, payment: PaymentConfirmation): { kind: IncidentKind; detail: string } | undefined {
  if (payment.payer !== order.openid) return { kind: 'payerMismatch', detail: `paid by ${payment.payer}, ordered by ${order.openid}` };
  if (payment.amount !== order.amount) return { kind: 'amountMismatch', detail: `paid ${payment.amount} fen, quoted ${order.amount} fen` };
  return undefined;
}

/**
 * Applies a provider's report that the learner paid, exactly once, in one transaction keyed by the order:
 * the order's transition, the grant and any incident commit together or not at all, and a replay of the
 * same payment (same transaction id) changes nothing. A payment for a closed order still pays it (the
 * learner's money was taken; docs/decisions.md); one that cannot pay for the order moves it to
 * `needsRefund` with an incident, granting nothing. The order's coupon, if any, is used with the payment
 * or given back when the money buys nothing (2 more requests: its read and write).
 *
 * The grant first assumes the learner holds no entitlement to the item (5 requests: begin, the order,
 * the entitlement's insert, the order's write, commit); when they do (a re-purchase after a refund, a
 * course held through another order), the insert fails and the transaction runs again reading it.
 * Once committed, the learner who subscribed is told (only then: a replay sends nothing again).
 *
 * A group-buy order takes its seat instead (domain/groups/seats.ts: the last seat grants every member);
 * one that finds no seat is refunded at once: `refunding` is committed, then the provider is asked.
 */
export async function confirmPayment(db: Database, payments: Payments, messages: Messages, payment: PaymentConfirmation, now: Date): Promise<PaymentOutcome> {
  const applied = await runGrant(db, (tx, mode) => applyPayment(tx, payment, now, mode));
  if (typeof applied === 'string') return applied;
  if ('refunding' in applied) {
    await submitRefund(db, payments, applied.refunding, applied.refunding.refund!, now);
    return 'refunding';
  }
  await sendPurchaseNotice(messages, applied, now);
  return 'paid';
}

/** What one application of a payment did: the order it paid, the order it is giving the money back on, or why it paid nothing. */
type Applied = Order | { refunding: Order } | Exclude<PaymentOutcome, 'paid' | 'refunding'>;

async function applyPayment(tx: Transaction, payment: PaymentConfirmation, now: Date, grantMode: GrantMode): Promise<Applied> {
  const order = await readOrder(tx, payment.outTradeNo);
  const incident = (kind: IncidentKind, detail: string, openid?: string) =>
    recordIncident(tx, {
      kind,
      provider: payment.provider,
      outTradeNo: payment.outTradeNo,
      transactionId: payment.transactionId,
      ...(openid ? { openid } : {}),
      detail,
      createdAt: now,
    });
  if (!order) {
    await incident('unknownOrder', `${payment.amount} fen paid by ${payment.payer} for an order that does not exist`);
    return 'incident';
  }
  if (order.provider !== payment.provider) {
    await incident('wrongRail', `${payment.amount} fen paid through ${payment.provider} for an order placed with ${order.provider}`, order.openid);
    return 'incident';
  }
  if (order.payment) {
    if (order.payment.transactionId === payment.transactionId) return 'replay';
    await incident('secondPayment', `transaction ${payment.transactionId} after ${order.payment.transactionId}`, order.openid);
    return 'incident';
  }
  const paid: Order = { ...order, payment: { transactionId: payment.transactionId, amount: payment.amount, paidAt: payment.paidAt } };
  const wrong = mismatch(order, payment);
  if (wrong) {
    await incident(wrong.kind, wrong.detail, order.openid);
    await releaseCoupon(tx, order);
    await saveOrder(tx, transition(paid, 'needsRefund', wrong.kind, now));
    return 'needsRefund';
  }
  // Validated before anything is written: an order that cannot become paid must not grant.
  const next = transition(paid, 'paid', order.status === 'closed' ? 'payment arrived after the order was closed' : 'payment', now);
  if (order.group) {
    const seat = await takeSeat(tx, { ...order, group: order.group }, now, grantMode);
    if (seat.kind === 'refused') {
      const refunding = startAutomaticRefund(paid, `${seat.why}，款项将原路退回`, now);
      await saveOrder(tx, refunding);
      return { refunding };
    }
    await recordReferral(tx, next, now);
    await saveOrder(tx, next);
    return next;
  }
  const granted = await grantAccess(tx, { openid: order.openid, item: order.item, source: { kind: 'order', orderId: order._id } }, now, grantMode);
  if (granted === 'ownedElsewhere') {
    await incident('alreadyOwned', `${describeItem(order.item)} was already held through another order`, order.openid);
    await releaseCoupon(tx, order);
    await saveOrder(tx, transition(paid, 'needsRefund', 'alreadyOwned', now));
    return 'needsRefund';
  }
  await useCoupon(tx, order, now);
  await recordReferral(tx, next, now);
  await saveOrder(tx, next);
  return next;
}

/**
 * A notification that applied nothing, kept for staff: `rejectedNotification` for one that is not a payment
 * of ours (malformed, failed, another merchant's), `suspiciousEvent` for one the provider does not confirm.
 */
export function recordNotificationIncident(
  db: Database,
  event: { kind: 'rejectedNotification' | 'suspiciousEvent'; provider: PaymentProviderName; outTradeNo?: string; detail: string },
  now: Date,
): Promise<void> {
  return db.runTransaction((tx) => recordIncident(tx, { ...event, outTradeNo: event.outTradeNo ?? 'unknown', createdAt: now }));
}
