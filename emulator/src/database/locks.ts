import { CloudBaseError } from '../errors';

export const conflict = (why: string) => new CloudBaseError('DATABASE_TRANSACTION_CONFLICT', `database transaction conflict: ${why}`);

interface Waiter {
  owner: string;
  grant: () => void;
  fail: (e: Error) => void;
  timer: NodeJS.Timeout;
}

/**
 * Document locks held by transactions from their first read or write of a document until commit or
 * abort. A transaction waits for a lock held by another one (up to `timeoutMs`); a wait that would close
 * a cycle (deadlock) or times out fails with DATABASE_TRANSACTION_CONFLICT, which the SDK's
 * `runTransaction` retries. Writes outside transactions wait for the document to be free.
 */
export class LockTable {
  private readonly holders = new Map<string, string>();
  private readonly queues = new Map<string, Waiter[]>();
  /** transaction -> the lock key it is waiting for, for deadlock detection */
  private readonly waitingFor = new Map<string, string>();
  private readonly idleWaiters = new Map<string, Array<() => void>>();

  constructor(private readonly timeoutMs: number) {}

  holder(key: string) {
    return this.holders.get(key);
  }

  async acquire(owner: string, key: string): Promise<void> {
    const holder = this.holders.get(key);
    if (holder === undefined) {
      this.holders.set(key, owner);
      return;
    }
    if (holder === owner) return;
    if (this.wouldDeadlock(owner, holder)) throw conflict('deadlock between transactions');
    await new Promise<void>((grant, fail) => {
      const timer = setTimeout(() => {
        this.dequeue(key, owner);
        fail(conflict(`document is locked by another transaction for over ${this.timeoutMs} ms`));
      }, this.timeoutMs);
      const queue = this.queues.get(key) ?? [];
      queue.push({ owner, grant, fail, timer });
      this.queues.set(key, queue);
      this.waitingFor.set(owner, key);
    });
  }

  /** Resolves once none of the keys is held by a transaction (for writes outside transactions). */
  async waitFree(keys: string[]): Promise<void> {
    for (;;) {
      const busy = keys.find((k) => this.holders.has(k));
      if (busy === undefined) return;
      await new Promise<void>((resolve) => {
        const list = this.idleWaiters.get(busy) ?? [];
        list.push(resolve);
        this.idleWaiters.set(busy, list);
      });
    }
  }

  releaseAll(owner: string, keys: Iterable<string>) {
    for (const key of keys) {
      if (this.holders.get(key) !== owner) continue;
      const next = this.queues.get(key)?.shift();
      if (next) {
        clearTimeout(next.timer);
        this.waitingFor.delete(next.owner);
        this.holders.set(key, next.owner);
        next.grant();
      } else {
        this.holders.delete(key);
        this.queues.delete(key);
        const idle = this.idleWaiters.get(key);
        this.idleWaiters.delete(key);
        idle?.forEach((resolve) => resolve());
      }
    }
  }

  /** Drops a transaction's pending wait (it was aborted while waiting). */
  cancelWait(owner: string) {
    const key = this.waitingFor.get(owner);
    if (key === undefined) return;
    const waiter = this.dequeue(key, owner);
    if (waiter) {
      clearTimeout(waiter.timer);
      waiter.fail(conflict('transaction was aborted'));
    }
  }

  private dequeue(key: string, owner: string): Waiter | undefined {
    this.waitingFor.delete(owner);
    const queue = this.queues.get(key);
    const i = queue?.findIndex((w) => w.owner === owner) ?? -1;
    return i >= 0 ? queue!.splice(i, 1)[0] : undefined;
  }

  private wouldDeadlock(owner: string, holder: string): boolean {
    const seen = new Set<string>();
    let current: string | undefined = holder;
    while (current !== undefined && !seen.has(current)) {
      if (current === owner) return true;
      seen.add(current);
      const key = this.waitingFor.get(current);
      current = key === undefined ? undefined : this.holders.get(key);
    }
    return false;
  }
}
