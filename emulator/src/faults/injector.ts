import { ConnectionDropped } from '../errors';
import type { FaultSettings } from './settings';

/** Where a killed instance died: before running, after its k-th DB request, or after returning. */
export type KillPoint = 'before' | 'between' | 'after';
export type ProviderFailureKind = 'systemError' | 'timeout';

/** A kill is placed after a number of DB requests drawn uniformly from 0..MAX_KILL_AFTER. */
const MAX_KILL_AFTER = 8;

export interface FaultCounters {
  invocationsKilled: { total: number; byPoint: Record<KillPoint, number>; byFunction: Record<string, number> };
  providerFailures: { total: number; byKind: Record<ProviderFailureKind, number>; byApi: Record<string, number> };
  /** every provider server API call, faulted or not (a benchmark divides it by purchases) */
  providerCalls: { total: number; byApi: Record<string, number> };
}

/** mulberry32: small, fast, and good enough to pick faults reproducibly. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const bump = (map: Record<string, number>, key: string) => (map[key] = (map[key] ?? 0) + 1);

function emptyCounters(): FaultCounters {
  return {
    invocationsKilled: { total: 0, byPoint: { before: 0, between: 0, after: 0 }, byFunction: {} },
    providerFailures: { total: 0, byKind: { systemError: 0, timeout: 0 }, byApi: {} },
    providerCalls: { total: 0, byApi: {} },
  };
}

/**
 * Decides which function instances die and which payment provider calls fail, by the settings and one
 * PRNG (seeded when asked, so a run is reproducible as long as calls come in the same order), and counts
 * what it did. The runtime and the payment services act on its decisions.
 */
export class FaultInjector {
  private current!: FaultSettings;
  private random!: () => number;
  private readonly counts = emptyCounters();
  private readonly holds = new Set<{ timer: NodeJS.Timeout; resolve: () => void }>();

  constructor(settings: FaultSettings) {
    this.configure(settings);
  }

  /** Replaces the settings (counters go on); a seed restarts the PRNG. */
  configure(settings: FaultSettings) {
    this.current = settings;
    this.random = settings.seed === undefined ? Math.random : seeded(settings.seed);
  }

  settings(): FaultSettings {
    return this.current;
  }

  counters(): FaultCounters {
    return structuredClone(this.counts);
  }

  /**
   * Whether an invocation of `functionName` is to be killed: undefined (it is not), or after how many of
   * its DB requests (0: before it runs; more than it makes: after it returns).
   */
  planKill(functionName: string): number | undefined {
    const { killInvocations, functions } = this.current;
    if (killInvocations <= 0 || (functions && !functions.includes(functionName))) return undefined;
    if (this.random() >= killInvocations) return undefined;
    return Math.floor(this.random() * (MAX_KILL_AFTER + 1));
  }

  recordKill(functionName: string, point: KillPoint) {
    const killed = this.counts.invocationsKilled;
    killed.total++;
    killed.byPoint[point]++;
    bump(killed.byFunction, functionName);
  }

  /**
   * One call of a provider's server API (`api`, e.g. `cloudPay.queryOrder`, `xpay/query_order`): counted,
   * and, for a share `providerFailures` of calls, failed. Half the failures answer the provider's
   * `systemError()` (nothing applied); the others hold the call `providerTimeoutMs` and drop the
   * connection, having applied the operation or not by a coin toss.
   */
  async providerCall<T>(api: string, apply: () => Promise<T>, systemError: () => T): Promise<T> {
    this.counts.providerCalls.total++;
    bump(this.counts.providerCalls.byApi, api);
    const { providerFailures, providerTimeoutMs } = this.current;
    if (providerFailures <= 0 || this.random() >= providerFailures) return apply();
    const kind: ProviderFailureKind = this.random() < 0.5 ? 'systemError' : 'timeout';
    const failures = this.counts.providerFailures;
    failures.total++;
    failures.byKind[kind]++;
    bump(failures.byApi, api);
    if (kind === 'systemError') return systemError();
    if (this.random() < 0.5) {
      // Applied, and the answer lost on the way back: the caller cannot tell this case from the other.
      await apply().catch(() => undefined);
    }
    await this.hold(providerTimeoutMs);
    throw new ConnectionDropped(`fault injection: ${api} timed out after ${providerTimeoutMs} ms`);
  }

  private hold(ms: number) {
    return new Promise<void>((resolve) => {
      const entry = { timer: setTimeout(() => this.release(entry), ms), resolve };
      this.holds.add(entry);
    });
  }

  private release(entry: { timer: NodeJS.Timeout; resolve: () => void }) {
    clearTimeout(entry.timer);
    this.holds.delete(entry);
    entry.resolve();
  }

  /** Ends the held calls at once (their connections are dropped), so shutting down waits for none. */
  close() {
    for (const entry of [...this.holds]) this.release(entry);
  }
}
