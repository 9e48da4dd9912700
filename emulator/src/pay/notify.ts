import { randomBytes } from 'node:crypto';
import type { Attempt, Delivery, Ledger } from './ledger';

/** How the sandbox delivers a notification, chosen by whoever plays the learner paying. */
export interface DeliveryOptions {
  /** deliver this many extra copies, concurrently, as WeChat does when it is unsure the first arrived */
  duplicates?: number;
  /** deliver this late (ms) */
  delayMs?: number;
  /** false: the payment happens but its notification is lost (only a query finds it) */
  deliver?: boolean;
}

/** One try at delivering: the function's answer, or why it failed. */
export type Send = () => Promise<{ invocationId?: string; result?: unknown; error?: string }>;

const logFailure = (e: unknown) => console.error('[emulator] notification delivery broke', e);

interface Attempter {
  send: Send;
  acknowledged: (result: unknown) => boolean;
  retries: number[];
  onAcknowledged?: () => Promise<void>;
}

/**
 * Delivers notifications the way WeChat does: again and again on a schedule until the function
 * acknowledges one, giving up (and recording the failure) when the schedule runs out. Every attempt is
 * written to the ledger.
 */
export class Notifier {
  private readonly timers = new Set<NodeJS.Timeout>();
  private closed = false;

  constructor(private readonly ledger: Ledger) {}

  /**
   * Starts the deliveries of one notification: the original and `duplicates` copies. Resolves with their
   * ids once the original's first attempt is over, or at once when it is delayed or dropped, so that a
   * caller playing the learner sees what the function did with an on-time notification.
   */
  async start(
    base: Pick<Delivery, 'kind' | 'key' | 'functionName' | 'event'>,
    send: Send,
    acknowledged: (result: unknown) => boolean,
    retryDelaysMs: number[],
    options: DeliveryOptions = {},
    onAcknowledged?: () => Promise<void>,
  ): Promise<string[]> {
    const copies = options.deliver === false ? 1 : 1 + (options.duplicates ?? 0);
    const deliveries: Delivery[] = Array.from({ length: copies }, () => ({
      ...base,
      id: randomBytes(8).toString('hex'),
      status: options.deliver === false ? 'dropped' : 'pending',
      createdAt: Date.now(),
      attempts: [],
    }));
    await Promise.all(deliveries.map((d) => this.ledger.put('deliveries', d.id, d)));
    if (options.deliver === false) return deliveries.map((d) => d.id);
    const attempt: Attempter = { send, acknowledged, retries: retryDelaysMs, onAcknowledged };
    const runs = deliveries.map((d) => this.run(d, attempt, options.delayMs ?? 0).catch(logFailure));
    if (!options.delayMs) await runs[0];
    return deliveries.map((d) => d.id);
  }

  /** Runs until the first attempt is over; later attempts are scheduled on timers. */
  private async run(delivery: Delivery, how: Attempter, delayMs: number) {
    if (delayMs > 0) await this.sleep(delayMs);
    if (this.closed) return;
    const outcome = await how.send();
    const attempt: Attempt = {
      at: Date.now(),
      invocationId: outcome.invocationId,
      outcome: outcome.error !== undefined ? 'failed' : how.acknowledged(outcome.result) ? 'acknowledged' : 'refused',
      ...(outcome.error !== undefined ? { error: outcome.error } : { result: outcome.result }),
    };
    const current = this.ledger.get('deliveries', delivery.id) ?? delivery;
    const attempts = [...current.attempts, attempt];
    const next = how.retries[attempts.length - 1];
    const status = attempt.outcome === 'acknowledged' ? 'delivered' : next === undefined ? 'failed' : 'pending';
    await this.ledger.put('deliveries', delivery.id, { ...current, attempts, status });
    if (status === 'delivered') await how.onAcknowledged?.();
    if (status === 'pending') void this.run({ ...current, attempts, status }, how, next!).catch(logFailure);
  }

  private sleep(ms: number) {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve();
      }, ms);
      this.timers.add(timer);
    });
  }

  /** Stops pending retries; what was attempted stays in the ledger. */
  close() {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }
}
