/**
 * A month of demo business for the console's dashboard, against a running emulator (`npm start`, then in
 * another terminal):
 *   npx tsx scripts/demo/activity.ts [--url http://127.0.0.1:9911] [--data .tcb-local]
 * Demo learners log in, buy demo courses through createOrder and the cloud pay sandbox (payNotify grants
 * them), a few ask for refunds that support approves and cloud pay completes, and some study a whole
 * course. All through the real functions; then, as data setup, the ledger's times are spread over the last
 * 30 days (paidAt, refundedAt, the learners' createdAt and lastLoginAt) and the dashboard's counters are
 * rebuilt from it: the `stats` documents removed and the countStats timer fired (domain/dashboard/stats.ts).
 * Run again, it buys nothing more (the same learners and request keys) and only rebuilds the counters.
 * Not part of the demo seed, which stays free of orders for the tests.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { readSdkEnv } from '../../emulator/src/launcher';
import { connectSdk } from '../../emulator/src/sdk';
import type { Order } from '../../domain/orders/model';
import { database } from '../../server/database';

const { values } = parseArgs({ options: { url: { type: 'string', default: 'http://127.0.0.1:9911' }, data: { type: 'string', default: '.tcb-local' } } });
const url = values.url!;
const db = database(connectSdk(readSdkEnv(resolve(values.data!))));

const LEARNERS = 24;
const COURSES = ['excel-basics', 'talk-persuade', 'photo-phone', 'guitar', 'ppt-camp', 'kaoyan-words'];
/** every REFUND_EVERY-th purchase is refunded */
const REFUND_EVERY = 7;
/** the learners (by index) who complete their course */
const COMPLETERS = new Set([0, 3, 5, 8, 13, 21]);
const DAY_MS = 86_400_000;

async function post<T>(path: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: T }> {
  const res = await fetch(`${url}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json().catch(() => ({}))) as T };
}

async function learnerCall<T>(openid: string, name: string, data: Record<string, unknown> = {}): Promise<T> {
  const { body } = await post<{ result?: { ok: boolean; data?: T; message?: string } }>('/gateway/callFunction', { name, openid, data });
  if (!body.result?.ok) throw new Error(`${name} as ${openid}: ${JSON.stringify(body)}`);
  return body.result.data!;
}

async function staffCall<T>(token: string, name: string, data: Record<string, unknown>): Promise<T> {
  const { body } = await post<{ ok: boolean; data?: T; message?: string }>(`/v1/functions/${name}`, data, { authorization: `Bearer ${token}` });
  if (!body.ok) throw new Error(`${name}: ${JSON.stringify(body)}`);
  return body.data!;
}

/** Waits until `probe` holds (callbacks arrive a moment after the sandbox answers). */
async function until(probe: () => Promise<boolean>, what: string) {
  for (let i = 0; i < 100; i++) {
    if (await probe()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const orderOf = async (id: string) => (await db.collection<Order>('orders').doc(id).get()).data;

async function main() {
  const signin = await post<{ access_token?: string }>('/auth/v1/signin', { username: 'support', password: 'support-demo-pass' });
  if (!signin.body.access_token) throw new Error(`cannot sign in as support at ${url}: is the emulator running (npm start)?`);
  const support = signin.body.access_token;

  const orders: Array<{ index: number; openid: string; orderId: string }> = [];
  for (let i = 0; i < LEARNERS; i++) {
    const openid = `o-demo-buyer-${String(i + 1).padStart(2, '0')}`;
    const courseId = COURSES[i % COURSES.length]!;
    await learnerCall(openid, 'login');
    const { order } = await learnerCall<{ order: { id: string; status: string } }>(openid, 'createOrder', { courseId, clientRequestKey: `demo-activity-${i + 1}` });
    if ((await orderOf(order.id)).status === 'pending') {
      const paid = await post(`/__emulator/pay/trades/${order.id}/pay`, {});
      if (paid.status !== 200) throw new Error(`paying ${order.id}: ${paid.status} ${JSON.stringify(paid.body)}`);
      await until(async () => (await orderOf(order.id)).status !== 'pending', `payNotify of ${order.id}`);
    }
    orders.push({ index: i, openid, orderId: order.id });

    if (i % REFUND_EVERY === REFUND_EVERY - 1 && (await orderOf(order.id)).status === 'paid') {
      await learnerCall(openid, 'requestRefund', { orderId: order.id, reason: '演示：内容和预期不一样' });
      await staffCall(support, 'reviewRefund', { orderId: order.id, approve: true });
      await post(`/__emulator/pay/refunds/${order.id}-R1/complete`, {});
      await until(async () => (await orderOf(order.id)).status === 'refunded', `refundNotify of ${order.id}`);
    }
    if (COMPLETERS.has(i)) {
      const { data: lessons } = await db.collection<{ _id: string }>('lessons').where({ courseId }).field({ _id: true }).limit(100).get();
      for (const lesson of lessons) {
        // Data setup: the lessons studied to the end, as saveProgress records them.
        await db
          .collection('progress')
          .doc(`${openid}:${lesson._id}`)
          .set({ data: { openid, courseId, lessonId: lesson._id, completed: true, completedAt: new Date(), updatedAt: new Date(), watchedSec: 0, positionSec: 0 } });
      }
    }
  }

  // Data setup: the month this happened over, each learner a day or two apart, some of them back lately.
  const now = Date.now();
  for (const { index, openid, orderId } of orders) {
    const joined = new Date(now - (29 - Math.floor((index * 29) / LEARNERS)) * DAY_MS - 3_600_000);
    const order = await orderOf(orderId);
    const paidAt = new Date(joined.getTime() + 20 * 60_000);
    const refundedAt = order.refund?.refundedAt ? new Date(paidAt.getTime() + 2 * DAY_MS) : undefined;
    await db
      .collection('orders')
      .doc(orderId)
      .update({ data: { paidAt, ...(refundedAt ? { refund: { refundedAt: new Date(Math.min(refundedAt.getTime(), now - 3_600_000)) } } : {}) } });
    const lastLoginAt = new Date(Math.min(now - 60_000, joined.getTime() + ((index * 7) % 12) * DAY_MS));
    await db.collection('users').doc(openid).update({ data: { createdAt: joined, lastLoginAt } });
  }

  // The counters rebuilt from the ledger.
  const { data: stats } = await db.collection('stats').limit(1000).get();
  for (const doc of stats) await db.collection('stats').doc(doc._id).remove();
  const fired = await post('/__emulator/timers/countStats/every10Minutes/fire', {});
  if (fired.status !== 200) throw new Error(`countStats: ${fired.status} ${JSON.stringify(fired.body)}`);
  console.log(`${orders.length} demo orders over 30 days; the dashboard's counters rebuilt (getDashboard in the console)`);
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
