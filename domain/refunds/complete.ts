import type { Database } from '../../server/database';
import { recordIncident } from '../orders/incidents';
import type { Order, PaymentProviderName } from '../orders/model';
import { recordNotificationIncident } from '../orders/payment';
import { transition } from '../orders/transitions';
import type { PaymentProvider, RefundConfirmation, RefundRef, RefundState } from '../payments/provider';
import { effectsFor, holdFor } from './effects';
import { readOrder, saveOrder } from '../orders/store';

/**
 * What a refund confirmation did:
 * - refunded: the order became refunded and what it granted was undone
 * - replay: this refund had been applied already (duplicate callback, or reconciliation came first)
 * - incident: a refund the order was not waiting for; recorded for staff, nothing changed
 */
export type RefundOutcome = 'refunded' | 'replay' | 'incident';

/**
 * The one refund path: applies the provider's report that a refund is done, exactly once, in one
 * transaction keyed by the order. `refunding -> refunded` and every effect of `refundEffects` (the
 * course's access revoked, the membership's days taken back, the gift refunded...) commit together or
 * not at all; a replay of the same refund (same `refundId`) changes nothing. Whatever does not match the
 * refund the order waits for (another number or amount, an order not refunding) is an incident: the
 * money went back, so staff must look.
 *
 * Requests: begin, the order, the effects, the order's write, commit. The effects: a course 2 (the
 * entitlement's read and update), a membership 2 (its read and update), a gift 2 when unclaimed (its
 * read and update) or 4 when claimed (and the friend's entitlement's read and update). So 6, or 8 for a
 * claimed gift; one write fewer for each thing there was nothing left to undo (money that bought nothing).
 */
export function completeRefund(db: Database, confirmation: RefundConfirmation, now: Date): Promise<RefundOutcome> {
  return db.runTransaction(async (tx) => {
    const order = await readOrder(tx, confirmation.outTradeNo);
    const { outRefundNo, refundId, amount } = confirmation;
    const mismatch = (detail: string, openid?: string) =>
      recordIncident(tx, { kind: 'refundMismatch', provider: confirmation.provider, outTradeNo: confirmation.outTradeNo, ...(openid ? { openid } : {}), detail, createdAt: now });
    if (!order) {
      await mismatch(`refund ${outRefundNo} (${refundId}, ${amount} fen) of an order that does not exist`);
      return 'incident';
    }
    if (order.provider !== confirmation.provider) {
      await recordIncident(tx, {
        kind: 'wrongRail',
        provider: confirmation.provider,
        outTradeNo: confirmation.outTradeNo,
        openid: order.openid,
        detail: `refund ${outRefundNo} (${refundId}, ${amount} fen) reported by ${confirmation.provider} for an order placed with ${order.provider}`,
        createdAt: now,
      });
      return 'incident';
    }
    const { refund } = order;
    if (order.status === 'refunded' && refund?.refundId === refundId) return 'replay';
    if (order.status !== 'refunding' || refund?.outRefundNo !== outRefundNo || refund.amount !== amount) {
      await mismatch(
        `refund ${outRefundNo} (${refundId}, ${amount} fen) done while the order is ${order.status}, waiting for ${refund ? `${refund.outRefundNo} (${refund.amount} fen)` : 'no refund'}`,
        order.openid,
      );
      return 'incident';
    }
    const refunded = transition({ ...order, refund: { ...refund, refundId, refundedAt: confirmation.refundedAt } }, 'refunded', 'refund confirmed by the provider', now);
    for (const effect of effectsFor(order)) await effect(tx, refunded, now);
    await saveOrder(tx, refunded);
    return 'refunded';
  });
}

/** Where a failed refund sends the order back: `needsRefund` when that is where it came from, otherwise `paid`. */
function cameFrom(order: Order): 'paid' | 'needsRefund' {
  const entered = [...order.history].reverse().find((h) => h.to === 'refunding');
  return entered?.from === 'needsRefund' ? 'needsRefund' : 'paid';
}

/**
 * - returned: the order went back where it came from (paid, or needsRefund) with an incident for staff
 * - replay: that attempt had been handled already (or the order has moved on): nothing changed
 * - incident: a failure for an order that does not exist; recorded for staff
 */
export type FailedRefundOutcome = 'returned' | 'replay' | 'incident';

/**
 * The provider refused or failed the refund numbered `outRefundNo`: the order goes back where it came
 * from, keeping the failure on its refund (the next approval starts a new attempt under a new number) and
 * an incident for staff, in one transaction; the learner keeps access, since the money did not go back,
 * and a gift held for the refund can be claimed again. A failure of an attempt the order no longer waits
 * for changes nothing.
 */
export function returnFailedRefund(
  db: Database,
  failed: { provider: PaymentProviderName; outTradeNo: string; outRefundNo: string; detail: string },
  now: Date,
): Promise<FailedRefundOutcome> {
  return db.runTransaction(async (tx) => {
    const order = await readOrder(tx, failed.outTradeNo);
    const incident = (detail: string, openid?: string) =>
      recordIncident(tx, { kind: 'refundFailed', provider: failed.provider, outTradeNo: failed.outTradeNo, ...(openid ? { openid } : {}), detail, createdAt: now });
    if (!order) {
      await incident(`refund ${failed.outRefundNo} of an order that does not exist failed: ${failed.detail}`);
      return 'incident';
    }
    const { refund } = order;
    // A failure reported by the other rail's provider cannot be about this order's refund.
    if (order.provider !== failed.provider || order.status !== 'refunding' || refund?.outRefundNo !== failed.outRefundNo) return 'replay';
    const back = transition(
      { ...order, refund: { ...refund, failure: { outRefundNo: failed.outRefundNo, at: now, detail: failed.detail } } },
      cameFrom(order),
      `refund failed: ${failed.detail}`,
      now,
    );
    await incident(`refund ${failed.outRefundNo} of ${refund.amount} fen failed: ${failed.detail}; the order is ${back.status} again`, order.openid);
    if (back.status === 'paid') await holdFor(order)?.release(tx, order);
    await saveOrder(tx, back);
    return 'returned';
  });
}

/** What the provider's answer about a refund did: `processing` while it works on it, `unknown` when it never received it. */
export type RefundStateOutcome = RefundOutcome | FailedRefundOutcome | 'processing' | 'unknown';

/**
 * Applies what the provider says of a refund, through the one refund path: done completes the order,
 * failed sends it back; nothing changes while it is processing or unknown to the provider. Reconciliation
 * and the refund notifications both come here, so whichever comes second is a replay.
 */
export async function applyRefundState(
  db: Database,
  provider: PaymentProviderName,
  ref: RefundRef,
  state: RefundState,
  now: Date,
  failure = 'the provider reports the refund failed',
): Promise<RefundStateOutcome> {
  if (state === null) return 'unknown';
  if (state === 'processing') return 'processing';
  if (state === 'failed') return returnFailedRefund(db, { provider, outTradeNo: ref.outTradeNo, outRefundNo: ref.outRefundNo, detail: failure }, now);
  return completeRefund(db, state, now);
}

/** What a refund notification did: what the provider's answer did, or `unconfirmed` (recorded, nothing applied). */
export type NotifiedRefundOutcome = RefundOutcome | FailedRefundOutcome | 'unconfirmed';

/**
 * Applies a refund notification only as far as the provider confirms it: the provider is asked about the
 * refund and its answer, not the event's, is applied. A notification of a refund the provider has not
 * finished (processing, or never received) changes nothing and is recorded for staff as a suspicious event;
 * one whose outcome the provider contradicts is recorded too. A provider that cannot answer fails the
 * call, so the notification is delivered again.
 */
export async function applyRefundNotification(
  db: Database,
  provider: PaymentProvider,
  ref: RefundRef,
  claimed: { outcome: 'refunded' | 'failed'; detail: string },
  now: Date,
): Promise<NotifiedRefundOutcome> {
  const state = await provider.queryRefund(ref);
  const suspicious = (detail: string) => recordNotificationIncident(db, { kind: 'suspiciousEvent', provider: provider.name, outTradeNo: ref.outTradeNo, detail }, now);
  if (state === null || state === 'processing') {
    await suspicious(`refund ${ref.outRefundNo} notified ${claimed.outcome} (${claimed.detail}), while the provider ${state === null ? 'never received it' : 'is still processing it'}`);
    return 'unconfirmed';
  }
  const confirmedOutcome = state === 'failed' ? 'failed' : 'refunded';
  if (confirmedOutcome !== claimed.outcome) await suspicious(`refund ${ref.outRefundNo} notified ${claimed.outcome} (${claimed.detail}), ${confirmedOutcome} at the provider`);
  const outcome = await applyRefundState(db, provider.name, ref, state, now, claimed.outcome === 'failed' ? claimed.detail : undefined);
  return outcome === 'processing' || outcome === 'unknown' ? 'unconfirmed' : outcome;
}
