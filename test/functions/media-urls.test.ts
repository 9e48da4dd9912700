import { MEDIA_URL_SECONDS } from '../../domain/catalog/media';
import type { LessonView } from '../../domain/contracts/catalog';
import type { Reply } from '../../domain/contracts/result';
import { ownEmulatorForFile } from '../support/own-emulator';
import { callAsStaff } from '../support/staff';

/**
 * What a paid media URL can still do once access ends: it plays until its short lifetime runs out, and no
 * new one is handed out. Its own emulator, because it moves storage's clock forward, which would expire
 * the URLs other tests are using.
 */
const COURSE = 'excel-basics';
const PAID_LESSON = 'excel-basics-03';

describe('paid media URLs', () => {
  const { emulator, post } = ownEmulatorForFile('media');

  async function call<T>(openid: string, name: string, data: Record<string, unknown>): Promise<T> {
    const { result } = await post<{ result: Reply<T> }>('/gateway/callFunction', { name, openid, data });
    if (!result.ok) throw new Error(`${name}: ${result.code} ${result.message}`);
    return result.data;
  }
  const lesson = (openid: string) => call<LessonView>(openid, 'getLesson', { lessonId: PAID_LESSON });
  const play = async (url: string) => (await fetch(url, { headers: { range: 'bytes=0-99' } })).status;
  const advanceStorageClock = (ms: number) => post('/__emulator/storage/clock', { advanceMs: ms });
  const lifetimeMs = MEDIA_URL_SECONDS * 1000;

  it('plays for minutes, is refused after its lifetime, and no new one is handed out after a refund', async () => {
    const buyer = 'o-media-buyer';
    const { order } = await call<{ order: { id: string } }>(buyer, 'createOrder', { courseId: COURSE, clientRequestKey: 'media-purchase-1' });
    await post(`/__emulator/pay/trades/${order.id}/pay`, {});

    const before = Date.now();
    const first = await lesson(buyer);
    expect(first.access).toBe('purchased');
    const expiresAt = new Date(first.media!.expiresAt).getTime();
    expect(expiresAt).toBeGreaterThan(before + lifetimeMs - 5_000);
    expect(expiresAt).toBeLessThanOrEqual(Date.now() + lifetimeMs);
    expect(lifetimeMs).toBeLessThanOrEqual(10 * 60_000);
    expect(await play(first.media!.url)).toBe(206);

    await advanceStorageClock(lifetimeMs + 1_000);
    expect(await play(first.media!.url)).toBe(403);
    // The player asks again and goes on.
    const renewed = await lesson(buyer);
    expect(await play(renewed.media!.url)).toBe(206);

    await call(buyer, 'requestRefund', { orderId: order.id, reason: '不想学了' });
    await callAsStaff('support', 'reviewRefund', { orderId: order.id, approve: true });
    await post(`/__emulator/pay/refunds/${order.id}-R1/complete`, {});
    const after = await lesson(buyer);
    expect(after.access).toBe('locked');
    expect(after.media).toBeUndefined();
    // What was handed out before the refund plays until its lifetime ends, and not after.
    expect(await play(renewed.media!.url)).toBe(206);
    await advanceStorageClock(lifetimeMs + 1_000);
    expect(await play(renewed.media!.url)).toBe(403);
  });

  it('refuses a clock that goes back or a malformed move', async () => {
    const res = await fetch(`${emulator().url}/__emulator/storage/clock`, { method: 'POST', body: JSON.stringify({ advanceMs: -1 }) });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toContain('advanceMs');
  });
});
