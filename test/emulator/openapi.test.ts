import { randomBytes } from 'node:crypto';
import { inflateSync } from 'node:zlib';
import { create as qrMatrix } from 'qrcode';
import { connectSdk, control, emulatorUrl } from '../support/sdk';

/**
 * Open APIs (云调用) through the real wx-server-sdk inside a function (`openapi-caller` calls
 * `cloud.openapi.<api>(data)` and answers the SDK's result or error), and their platform side: the
 * learner's subscriptions and the outbox (the `wxa_media_check` push: media-check-push.test.ts).
 */
const { cloud, callFunction } = connectSdk();

type Outcome = { ok: true; result: Record<string, unknown> } | { ok: false; errCode: number; errMsg: string };

const openapi = async (api: string, data: Record<string, unknown>) =>
  (await callFunction('openapi-caller', { api, data })).result as Outcome;

/** The SDK's result of a call that must succeed. */
function resultOf<T>(outcome: Outcome): T {
  if (!outcome.ok) throw new Error(`expected success, got ${outcome.errCode} ${outcome.errMsg}`);
  return outcome.result as T;
}

const newLearner = () => `o-openapi-${randomBytes(6).toString('hex')}`;

/** What `wx.requestSubscribeMessage` sends once the learner answers the dialog. */
async function subscribe(openid: string, tmplIds: string[], accept: boolean | string[] = true) {
  const res = await fetch(`${emulatorUrl()}/gateway/subscribeMessage`, { method: 'POST', body: JSON.stringify({ openid, tmplIds, accept }) });
  return (await res.json()) as Record<string, unknown>;
}

interface OutboxMessage {
  touser: string;
  templateId: string;
  title: string;
  page?: string;
  data: Record<string, string>;
  fromFunction: string;
}
const outbox = (touser: string) => control<OutboxMessage[]>('GET', `/openapi/outbox?touser=${touser}`);

const coursePublished = (touser: string, data: Record<string, unknown> = {}) => ({
  touser,
  templateId: 'course-published',
  page: 'pages/me/index?from=message',
  data: { thing1: { value: '产品经理入门' }, thing2: { value: '第 3 课已上线' }, time3: { value: '2025年3月1日 20:00' }, ...data },
});

describe('permissions', () => {
  it('refuses an open API the function does not list in config.json permissions.openapi (-604101)', async () => {
    const outcome = await openapi('security.imgSecCheck', { media: { contentType: 'image/png', value: Buffer.from('x') } });
    expect(outcome).toMatchObject({ ok: false, errCode: -604101 });
  });

  it('refuses open API calls from outside a cloud function (-604104)', async () => {
    await expect(
      cloud.openapi.security.msgSecCheck({ openid: newLearner(), scene: 2, version: 2, content: '你好' } as never),
    ).rejects.toMatchObject({ errCode: -604104 });
  });
});

describe('subscribeMessage.send', () => {
  it('fails with 43101 until the learner subscribes; a one-time subscription is used by one message', async () => {
    const learner = newLearner();
    expect(await openapi('subscribeMessage.send', coursePublished(learner))).toMatchObject({
      ok: false,
      errCode: 43101,
      errMsg: expect.stringMatching(/^openapi\.subscribeMessage\.send:fail user refuse to accept the msg rid: /),
    });

    expect(await subscribe(learner, ['course-published'])).toEqual({ errMsg: 'requestSubscribeMessage:ok', 'course-published': 'accept' });
    expect(await openapi('subscribeMessage.send', coursePublished(learner))).toMatchObject({ ok: true, result: { errCode: 0 } });
    expect(await outbox(learner)).toEqual([
      expect.objectContaining({
        touser: learner,
        templateId: 'course-published',
        title: '课程上新提醒',
        page: 'pages/me/index?from=message',
        data: { thing1: '产品经理入门', thing2: '第 3 课已上线', time3: '2025年3月1日 20:00' },
        fromFunction: 'openapi-caller',
      }),
    ]);

    expect(await openapi('subscribeMessage.send', coursePublished(learner))).toMatchObject({ ok: false, errCode: 43101 });
    expect(await outbox(learner)).toHaveLength(1);
  });

  it('counts each one-time acceptance, and keeps a long-term subscription until the learner refuses it', async () => {
    const learner = newLearner();
    await subscribe(learner, ['course-published']);
    await subscribe(learner, ['course-published']);
    expect(await subscribe(learner, ['course-published'], false)).toMatchObject({ 'course-published': 'reject' });
    for (const expected of [true, true, false]) {
      expect((await openapi('subscribeMessage.send', coursePublished(learner))).ok).toBe(expected);
    }

    const live = { touser: learner, templateId: 'live-reminder', data: { thing1: { value: '直播答疑' }, date2: { value: '2025-03-01 19:30' } } };
    await subscribe(learner, ['live-reminder']);
    for (let i = 0; i < 3; i++) expect((await openapi('subscribeMessage.send', live)).ok).toBe(true);
    await subscribe(learner, ['live-reminder'], false);
    expect(await openapi('subscribeMessage.send', live)).toMatchObject({ ok: false, errCode: 43101 });
  });

  it('checks the template, the page and each value against the template field types, as WeChat does', async () => {
    const learner = newLearner();
    await subscribe(learner, ['course-published', 'order-paid', 'homework-reviewed'], ['course-published', 'order-paid']);
    const send = (message: Record<string, unknown>) => openapi('subscribeMessage.send', message);
    expect(await send({ ...coursePublished(learner), templateId: 'no-such-template' })).toMatchObject({ errCode: 40037 });
    expect(await send({ ...coursePublished(learner), page: 'pages/missing/index' })).toMatchObject({ errCode: 41030 });
    const invalid = [
      [{ thing1: { value: '一'.repeat(21) } }, 'data.thing1.value invalid'],
      [{ thing2: undefined }, 'data.thing2.value is empty'],
      [{ time3: { value: '明天晚上' } }, 'data.time3.value invalid'],
    ] as const;
    for (const [data, message] of invalid) {
      expect(await send(coursePublished(learner, data))).toMatchObject({ errCode: 47003, errMsg: expect.stringContaining(`argument invalid! ${message}`) });
    }
    const order = (amount: string) => ({
      touser: learner,
      templateId: 'order-paid',
      data: { character_string1: { value: 'T20250301-0001' }, thing2: { value: '产品经理入门' }, amount3: { value: amount }, time4: { value: '15:01' } },
    });
    expect(await send(order('九十九元'))).toMatchObject({ errCode: 47003, errMsg: expect.stringContaining('data.amount3.value invalid') });
    expect(await outbox(learner)).toEqual([]);
    // Rejected sends used no subscription: both acceptances are still there.
    expect((await send(order('¥99.00'))).ok).toBe(true);
    expect((await send(coursePublished(learner))).ok).toBe(true);
    // The learner refused homework-reviewed in the same dialog.
    const homework = { touser: learner, templateId: 'homework-reviewed', data: { thing1: { value: '第 1 次作业' }, phrase2: { value: '已批改' }, thing3: { value: '很好' } } };
    expect(await send(homework)).toMatchObject({ errCode: 43101 });
  });

  it('answers wx.requestSubscribeMessage failures as the client API does', async () => {
    const learner = newLearner();
    expect(await subscribe(learner, [])).toMatchObject({ errCode: 10001 });
    expect(await subscribe(learner, ['no-such-template'])).toMatchObject({ errCode: 20001 });
    expect(await subscribe(learner, ['course-published', 'live-reminder'])).toMatchObject({ errCode: 20002 });
    expect(await subscribe(learner, ['course-published', 'order-paid', 'homework-reviewed', 'course-published'])).toMatchObject({ errCode: 20003 });
  });
});

describe('content security', () => {
  const check = (content: string, extra: Record<string, unknown> = {}) =>
    openapi('security.msgSecCheck', { openid: newLearner(), scene: 2, version: 2, content, ...extra });

  it('passes ordinary text and flags text matching the configured rules', async () => {
    expect(await check('今天学完了第三课，收获很大')).toMatchObject({
      ok: true,
      result: { errCode: 0, result: { suggest: 'pass', label: 100 }, traceId: expect.any(String) },
    });
    const risky = await check('想要课程资料的加微信 abc123');
    expect(risky).toMatchObject({ ok: true, result: { result: { suggest: 'risky', label: 10001 } } });
    expect(resultOf<{ detail: unknown[] }>(risky).detail).toContainEqual(
      expect.objectContaining({ strategy: 'keyword', keyword: '加微信', suggest: 'risky' }),
    );
    expect(await check('你真是个笨蛋')).toMatchObject({ result: { result: { suggest: 'review', label: 20003 } } });
  });

  it('validates the parameters like the v2 API', async () => {
    expect(await check('你好', { version: 1 })).toMatchObject({ ok: false, errCode: 40097 });
    expect(await check('你好', { scene: 5 })).toMatchObject({ ok: false, errCode: 40097 });
    expect(await check('', {})).toMatchObject({ ok: false, errCode: 40097 });
    expect(await check('你好', { openid: '' })).toMatchObject({ ok: false, errCode: 40003 });
    expect(await check('长'.repeat(2501))).toMatchObject({ ok: false, errCode: 40097 });
  });
});

/** Channels per pixel by PNG colour type: grey, RGB, grey + alpha, RGBA. */
const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 4: 2, 6: 4 };

/** Decodes a non-interlaced 8-bit PNG into its size and RGBA-or-fewer channel bytes per pixel. */
function decodePng(png: Buffer): { width: number; height: number; pixel: (x: number, y: number) => number[] } {
  let offset = 8;
  let width = 0;
  let height = 0;
  let channels = 0;
  const idat: Buffer[] = [];
  while (offset < png.length) {
    const length = png.readUInt32BE(offset);
    const type = png.toString('latin1', offset + 4, offset + 8);
    const data = png.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') {
      [width, height] = [data.readUInt32BE(0), data.readUInt32BE(4)];
      expect([data[8], data[12]]).toEqual([8, 0]); // 8-bit, not interlaced
      channels = CHANNELS[data[9]!]!;
    }
    if (type === 'IDAT') idat.push(data);
    offset += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const pixels = Buffer.alloc(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    for (let i = 0; i < stride; i++) {
      const x = raw[y * (stride + 1) + 1 + i]!;
      const a = i >= channels ? pixels[y * stride + i - channels]! : 0;
      const b = y > 0 ? pixels[(y - 1) * stride + i]! : 0;
      const c = i >= channels && y > 0 ? pixels[(y - 1) * stride + i - channels]! : 0;
      const p = a + b - c;
      const paeth = Math.abs(p - a) <= Math.abs(p - b) && Math.abs(p - a) <= Math.abs(p - c) ? a : Math.abs(p - b) <= Math.abs(p - c) ? b : c;
      pixels[y * stride + i] = (x + [0, a, b, (a + b) >> 1, paeth][filter]!) & 0xff;
    }
  }
  return { width, height, pixel: (x, y) => [...pixels.subarray(y * stride + x * channels, (y + 1) * stride).subarray(0, channels)] };
}

describe('wxacode.getUnlimited', () => {
  it('returns a PNG code, width pixels wide, that encodes the page and the scene', async () => {
    const outcome = await openapi('wxacode.getUnlimited', { scene: 'c=42&i=abc', page: 'pages/me/index', width: 300 });
    expect(outcome).toMatchObject({ ok: true, result: { contentType: 'image/png', errCode: 0 } });
    const png = Buffer.from(resultOf<{ base64: string }>(outcome).base64, 'base64');
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));

    const image = decodePng(png);
    expect([image.width, image.height]).toEqual([300, 300]);
    // Every module of the QR symbol for `<page>?scene=<encoded scene>`, sampled at its centre (4 modules of margin).
    const { modules } = qrMatrix('pages/me/index?scene=c%3D42%26i%3Dabc', { errorCorrectionLevel: 'M' });
    const scale = image.width / (modules.size + 8);
    for (let row = 0; row < modules.size; row++) {
      for (let col = 0; col < modules.size; col++) {
        const [value] = image.pixel(Math.floor((col + 4.5) * scale), Math.floor((row + 4.5) * scale));
        expect({ row, col, dark: value! < 128 }).toEqual({ row, col, dark: Boolean(modules.get(row, col)) });
      }
    }
  });

  it('checks the scene and the page', async () => {
    expect(await openapi('wxacode.getUnlimited', { scene: 'x'.repeat(33) })).toMatchObject({ ok: false, errCode: 40169 });
    expect(await openapi('wxacode.getUnlimited', { scene: '课程' })).toMatchObject({ ok: false, errCode: 40097 });
    expect(await openapi('wxacode.getUnlimited', { scene: 'a', page: 'pages/draft/index' })).toMatchObject({ ok: false, errCode: 41030 });
    expect(await openapi('wxacode.getUnlimited', { scene: 'a', page: '/pages/me/index' })).toMatchObject({ ok: false, errCode: 41030 });
    // check_path: false allows a page not released yet.
    expect(await openapi('wxacode.getUnlimited', { scene: 'a', page: 'pages/draft/index', checkPath: false, envVersion: 'develop' })).toMatchObject({
      ok: true,
    });
  });
});
