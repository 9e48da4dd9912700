import { randomUUID } from 'node:crypto';
import type { CreateOrderResponse } from '../../domain/contracts/orders';
import type { Reply } from '../../domain/contracts/result';
import { pay, type Purchase } from './commerce';
import { renderPage, type RenderedPage } from './miniprogram';
import { emulatorUrl, waitFor } from './sdk';
import type { ClientDatabase } from './wx/database';
import { postJson } from './wx/http';

/**
 * What the mini-program tests share around the pages they render: opening the pages of the purchase
 * flow, waiting for what a page shows, and the learner's doings on another phone (the harness shows
 * one page at a time), through the gateway and the sandbox. jsdom has no fetch: Node's http instead.
 */

export const openCourse = (openid: string, courseId: string) => renderPage('packages/course/detail/index', { openid, query: { id: courseId } });
/** The pay result page, for a course (`courseId`) or any order (`orderId`). */
export const openResult = (openid: string, query: { courseId: string } | { orderId: string }) => renderPage('packages/order/result/index', { openid, query });
export const openOrderList = (openid: string) => renderPage('packages/order/list/index', { openid });
export const openOrder = (openid: string, id: string) => renderPage('packages/order/detail/index', { openid, query: { id } });

/** Waits until the page's text contains `text` (the result page polls with a delay between reads). */
export async function until(page: RenderedPage, text: string, timeoutMs = 8000) {
  const shown = await waitFor(
    async () => {
      await page.settle();
      return page.text();
    },
    (current) => current.includes(text),
    timeoutMs,
  );
  expect(shown).toContain(text);
}

/** Calls a function as `openid` on another phone; answers its data, failing unless it succeeded. */
export async function gateway<T = unknown>(openid: string, name: string, data: Record<string, unknown>): Promise<T> {
  const reply = ((await postJson(`${emulatorUrl()}/gateway/callFunction`, { name, openid, data })).body as { result: Reply<T> }).result;
  if (!reply.ok) throw new Error(`${name} failed: ${reply.message}`);
  return reply.data;
}

/** On another phone, `openid` orders `what` and leaves it unpaid; answers the order id. */
export const orderedElsewhere = async (openid: string, what: Purchase) =>
  (await gateway<CreateOrderResponse>(openid, 'createOrder', { ...what, clientRequestKey: randomUUID() })).order.id;

/** On another phone, `openid` orders `what` and pays it in the sandbox; answers the order id. */
export async function boughtElsewhere(openid: string, what: Purchase): Promise<string> {
  const id = await orderedElsewhere(openid, what);
  await pay(id);
  return id;
}

/** The database as the mini program sees it, under its security rules (after a module loaded the session). */
export const clientDatabase = () => (globalThis as unknown as { wx: { cloud: { database(): ClientDatabase } } }).wx.cloud.database();
