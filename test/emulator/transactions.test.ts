import { connectSdk, control, uniqueName } from '../support/sdk';

/** Transactions as CloudBase runs them, through the real SDK's runTransaction / startTransaction. */
const { database } = connectSdk();
const db = database();

async function freshCollection(docs: Record<string, unknown>[]) {
  const name = uniqueName('tx');
  await control('POST', '/collections', { name });
  await db.collection(name).add({ data: docs });
  return name;
}

interface Account {
  balance: number;
}

describe('transactions', () => {
  it('200 concurrent read-modify-write increments of one document end at exactly 200', async () => {
    const name = await freshCollection([{ _id: 'counter', n: 0 }]);
    const increment = () =>
      db.runTransaction(async (t) => {
        const { data } = await t.collection<{ n: number }>(name).doc('counter').get();
        await t.collection(name).doc('counter').update({ data: { n: data.n + 1 } });
      });
    await Promise.all(Array.from({ length: 200 }, increment));
    expect((await db.collection(name).doc('counter').get()).data.n).toBe(200);
  });

  it('concurrent transfers are all-or-nothing: balances match exactly the transfers that succeeded', async () => {
    const accounts = ['a', 'b', 'c', 'd'];
    const name = await freshCollection(accounts.map((_id) => ({ _id, balance: 100 })));
    // Opposite lock orders on purpose: some transfers deadlock, are retried, and may finally give up.
    const plans = Array.from({ length: 60 }, (_v, i) => ({ from: accounts[i % 4], to: accounts[(i + 1 + (i % 3)) % 4], amount: 1 + (i % 7) }));
    const outcomes = await Promise.allSettled(
      plans.map(({ from, to, amount }) =>
        db.runTransaction(async (t) => {
          const source = (await t.collection<Account>(name).doc(from).get()).data;
          const target = (await t.collection<Account>(name).doc(to).get()).data;
          await t.collection(name).doc(from).update({ data: { balance: source.balance - amount } });
          await t.collection(name).doc(to).update({ data: { balance: target.balance + amount } });
        }, 5),
      ),
    );
    const expected = Object.fromEntries(accounts.map((id) => [id, 100]));
    plans.forEach(({ from, to, amount }, i) => {
      if (outcomes[i].status !== 'fulfilled') return;
      expected[from] -= amount;
      expected[to] += amount;
    });
    const { data } = await db.collection(name).get();
    expect(Object.fromEntries(data.map((a) => [a._id, a.balance]))).toEqual(expected);
    expect(outcomes.filter((o) => o.status === 'fulfilled').length).toBeGreaterThan(30);
  });

  it('writes are invisible outside until commit, and a rollback leaves nothing behind', async () => {
    const name = await freshCollection([{ _id: 'x', v: 1 }]);
    const tx = await db.startTransaction();
    await tx.collection(name).doc('x').update({ data: { v: 2 } });
    await tx.collection(name).add({ data: { _id: 'y', v: 3 } });
    expect((await tx.collection(name).doc('x').get()).data.v).toBe(2);
    expect((await db.collection(name).doc('x').get()).data.v).toBe(1);
    expect((await db.collection(name).where({ _id: 'y' }).get()).data).toEqual([]);
    await tx.rollback();
    expect((await db.collection(name).doc('x').get()).data.v).toBe(1);
    expect((await db.collection(name).count()).total).toBe(1);

    const committed = await db.startTransaction();
    await committed.collection(name).doc('x').update({ data: { v: 5 } });
    await committed.commit();
    expect((await db.collection(name).doc('x').get()).data.v).toBe(5);
  });

  it('an error inside runTransaction rolls everything back and reaches the caller', async () => {
    const name = await freshCollection([{ _id: 'x', v: 1 }]);
    await expect(
      db.runTransaction(async (t) => {
        await t.collection(name).doc('x').update({ data: { v: 99 } });
        await t.rollback('库存不足');
      }),
    ).rejects.toBe('库存不足');
    expect((await db.collection(name).doc('x').get()).data.v).toBe(1);
  });

  it('refuses where() queries inside a transaction with a clear error', async () => {
    const name = await freshCollection([{ _id: 'x', v: 1 }]);
    const tx = await db.startTransaction();
    await expect(tx.collection(name).where({ v: 1 }).get()).rejects.toThrow(/only single-document operations/);
    await tx.rollback();
  });

  it('a deadlock fails one side with DATABASE_TRANSACTION_CONFLICT, which runTransaction retries', async () => {
    const name = await freshCollection([
      { _id: 'A', n: 0 },
      { _id: 'B', n: 0 },
    ]);
    let attempts = 0;
    let held = 0;
    let bothHold!: () => void;
    const bothHoldTheirFirstLock = new Promise<void>((resolve) => (bothHold = resolve));
    const lockTaken = () => ++held === 2 && bothHold();
    const lockInOrder = (first: string, second: string) =>
      db.runTransaction(async (t) => {
        attempts++;
        await t.collection(name).doc(first).get();
        lockTaken();
        await bothHoldTheirFirstLock;
        for (const id of [first, second]) {
          const { data } = await t.collection<{ n: number }>(name).doc(id).get();
          await t.collection(name).doc(id).update({ data: { n: data.n + 1 } });
        }
      });
    await Promise.all([lockInOrder('A', 'B'), lockInOrder('B', 'A')]);
    expect(attempts).toBe(3);
    const { data } = await db.collection(name).orderBy('_id', 'asc').get();
    expect(data.map((d) => d.n)).toEqual([2, 2]);
  });

  it('a write outside any transaction waits for the transaction holding the document', async () => {
    const name = await freshCollection([{ _id: 'x', v: 1, log: [] }]);
    const tx = await db.startTransaction();
    await tx.collection(name).doc('x').update({ data: { v: 2 } });
    const outside = db.collection(name).doc('x').update({ data: { log: db.command.push('outside') } });
    await new Promise((r) => setTimeout(r, 50));
    await tx.commit();
    await outside;
    expect((await db.collection(name).doc('x').get()).data).toMatchObject({ v: 2, log: ['outside'] });
  });
});
