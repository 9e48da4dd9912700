import type { Course } from '../../domain/catalog/model';
import type { HomeView } from '../../domain/contracts/catalog';
import type { Order } from '../../domain/orders/model';
import type { Reply } from '../../domain/contracts/result';
import { database } from '../../server/database';
import { connectSdk } from '../../emulator/src/sdk';
import { ownEmulator } from '../support/own-emulator';
import { waitFor } from '../support/sdk';

/**
 * The home snapshot follows catalog changes made outside the product (here: straight into the
 * database, as a console import would) once the rebuild timer runs. Its own emulator, because it
 * changes the demo catalog that other tests read.
 */
/** Cloud pay notifies payNotify a moment after the learner pays. */
async function waitForPaid(db: ReturnType<typeof database>, orderIds: string[]) {
  await waitFor(
    () => Promise.all(orderIds.map(async (id) => (await db.collection<Order>('orders').doc(id).get()).data.status)),
    (statuses) => statuses.every((status) => status === 'paid'),
  );
}

describe('catalog views', () => {
  const { emulator, post } = ownEmulator('views');

  const home = async () => {
    const { result } = await post<{ result: Reply<HomeView> }>('/gateway/callFunction', { name: 'getHome', openid: 'o-views' });
    if (!result.ok) throw new Error(result.message);
    return result.data;
  };

  it('rebuilds the home snapshot on its timer, and refuses to be called by a learner', async () => {
    expect((await home()).featured[0].title).toBe('Excel 零基础到高效办公');
    const db = database(connectSdk(emulator().sdkEnv));
    await db.collection('courses').doc('excel-basics').update({ data: { title: 'Excel 零基础到高效办公（新版）' } });
    expect((await home()).featured[0].title).toBe('Excel 零基础到高效办公');

    await post('/__emulator/timers/rebuildCatalogViews/every10Minutes/fire', {});
    expect((await home()).featured[0].title).toBe('Excel 零基础到高效办公（新版）');

    const asLearner = await post<{ result: Reply<unknown> }>('/gateway/callFunction', { name: 'rebuildCatalogViews', openid: 'o-views' });
    expect(asLearner.result).toEqual({ ok: false, code: 'FORBIDDEN', message: '无权调用' });
  });

  it('adds each payment to the sales of its course once, a minute after it was paid', async () => {
    const db = database(connectSdk(emulator().sdkEnv));
    const salesOf = async (id: string) => (await db.collection<Course>('courses').doc(id).get()).data.stats.sales;
    const count = async () => {
      await post('/__emulator/timers/rebuildCatalogViews/every10Minutes/fire', {});
      return salesOf('talk-meeting');
    };
    const buyAndPay = async (openid: string) => {
      const { result } = await post<{ result: Reply<{ order: { id: string } }> }>('/gateway/callFunction', {
        name: 'createOrder',
        openid,
        data: { courseId: 'talk-meeting', clientRequestKey: `key-${openid}` },
      });
      if (!result.ok) throw new Error(result.message);
      await post(`/__emulator/pay/trades/${result.data.order.id}/pay`, {});
      return result.data.order.id;
    };
    /** Two minutes pass: every payment and the last count happened two minutes earlier. */
    const twoMinutesPass = async (orderIds: string[]) => {
      const earlier = (at: Date) => new Date(at.getTime() - 2 * 60_000);
      for (const id of orderIds) {
        const { data } = await db.collection<Order>('orders').doc(id).get();
        await db.collection('orders').doc(id).update({ data: { paidAt: earlier(data.paidAt!) } });
      }
      const { data } = await db.collection<{ countedUntil: Date }>('catalog_snapshots').doc('sales').get();
      await db.collection('catalog_snapshots').doc('sales').update({ data: { countedUntil: earlier(data.countedUntil) } });
    };

    const before = await count();
    const paid = await Promise.all(['o-sales-1', 'o-sales-2', 'o-sales-3'].map(buyAndPay));
    await waitForPaid(db, paid);
    // Paid a moment ago: not counted yet (its transaction might still be committing).
    expect(await count()).toBe(before);

    await twoMinutesPass(paid);
    expect(await count()).toBe(before + 3);
    expect(await count()).toBe(before + 3);
    await twoMinutesPass(paid);
    expect(await count()).toBe(before + 3);
  });
});
