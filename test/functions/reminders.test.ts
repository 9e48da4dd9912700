import type { Course, Lesson } from '../../domain/catalog/model';
import type { SendRemindersReport, SubscribeReminderResponse } from '../../domain/contracts/reminders';
import type { Reply } from '../../domain/contracts/result';
import type { InboxMessage } from '../../domain/messages/inbox';
import { buy, call, completeRefund, ok, outboxOf, requestRefund, review } from '../support/commerce';
import { connectSdk, control, emulatorUrl, uniqueName } from '../support/sdk';
import { ownEmulatorForFile } from '../support/own-emulator';

/**
 * Reminders before live lessons and camp days (issue 10): a learner who may study the course subscribes,
 * the sendReminders timer (fired through the emulator) sends the live-reminder message once per session,
 * with an in-app copy, and nothing to those who did not subscribe or were refunded.
 */
// Its courses and lessons are the catalog's for as long as the run lasts: an emulator of its own.
ownEmulatorForFile('reminders');
const db = connectSdk().database();
const MINUTE = 60_000;

/** The learner accepts the long-term template in the mini program's dialog. */
async function acceptTemplate(openid: string, accept = true) {
  const res = await fetch(`${emulatorUrl()}/gateway/subscribeMessage`, { method: 'POST', body: JSON.stringify({ openid, tmplIds: ['live-reminder'], accept }) });
  expect(res.status).toBe(200);
}

const subscribe = (openid: string, courseId: string) => call<SubscribeReminderResponse>(openid, 'subscribeReminder', { courseId });

async function fire(): Promise<SendRemindersReport> {
  const run = await control<{ status: string; result: Reply<SendRemindersReport> }>('POST', '/timers/sendReminders/every5Minutes/fire', {});
  expect(run.status).toBe('ok');
  if (!run.result.ok) throw new Error(`sendReminders: ${run.result.code} ${run.result.message}`);
  return run.result.data;
}

const remindersOf = async (openid: string) => (await outboxOf(openid)).filter((m) => m.templateId === 'live-reminder');
const inboxOf = async (openid: string) => (await db.collection<InboxMessage>('messages').where({ openid, kind: 'liveReminder' }).get()).data;

/** Data setup: a copy of the demo live course with a live lesson starting in `inMin` minutes. */
async function liveCourse(inMin: number) {
  const courseId = uniqueName('live');
  const demo = (await db.collection<Course>('courses').doc('ielts-live').get()).data;
  const { _id: _demoId, ...rest } = demo;
  const lessonId = `${courseId}-01`;
  const liveAt = new Date(Date.now() + inMin * MINUTE);
  await db.collection('courses').doc(courseId).set({
    data: { ...rest, title: '口语直播提醒测试课', outline: [{ title: '直播', lessons: [{ id: lessonId, title: '第 1 次直播', type: 'live', durationSec: 3600, trial: false }] }] },
  });
  const lesson: Omit<Lesson, '_id'> = { courseId, chapterIndex: 0, order: 0, title: '第 1 次直播', type: 'live', durationSec: 3600, trial: false, liveAt, live: { finderUserName: 'sphTest' } };
  await db.collection('lessons').doc(lessonId).set({ data: lesson });
  return { courseId, lessonId, liveAt };
}

/** Data setup: a free camp whose next day starts in `inMin` minutes. */
async function freeCamp(inMin: number, learners = 0) {
  const courseId = uniqueName('camp');
  const startAt = new Date(Date.now() + inMin * MINUTE);
  await db.collection('courses').doc(courseId).set({
    data: {
      title: '提醒测试训练营',
      status: 'published',
      form: 'camp',
      price: { amount: 0, includedInMembership: false },
      outline: [],
      schedule: {
        startAt: new Date(Date.now() - 86_400_000),
        endAt: new Date(startAt.getTime() + 86_400_000),
        sessions: [
          { title: 'Day 1', startAt: new Date(Date.now() - 86_400_000), durationMin: 30 },
          { title: 'Day 2', startAt, durationMin: 30, task: '改一页配色' },
        ],
      },
    },
  });
  return { courseId, startAt, learners };
}

/** Beijing time as the message shows it. */
const beijing = (at: Date) => new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');

describe('subscribeReminder', () => {
  it('is for learners who may study a course with live lessons or camp days', async () => {
    const { courseId } = await liveCourse(60);
    const visitor = uniqueName('o-remind');
    expect((await subscribe(visitor, courseId)).reply).toEqual({ ok: false, code: 'FORBIDDEN', message: '购买课程后才能订阅开课提醒' });
    expect((await subscribe(visitor, 'excel-basics')).reply).toEqual({ ok: false, code: 'INVALID_INPUT', message: '这门课程没有直播或训练营日程，无需开课提醒' });
    expect((await subscribe(visitor, 'no-such-course')).reply).toMatchObject({ ok: false, code: 'NOT_FOUND' });
    expect((await subscribe(visitor, '../x')).reply).toMatchObject({ ok: false, code: 'INVALID_INPUT' });

    const buyer = uniqueName('o-remind');
    await buy(buyer, { courseId });
    const { reply, dbRequests } = await subscribe(buyer, courseId);
    expect(reply).toEqual({ ok: true, data: { subscribed: true } });
    expect(dbRequests).toBe(3);
    expect((await subscribe(buyer, courseId)).reply.ok).toBe(true);
    expect((await db.collection('reminders').where({ openid: buyer }).get()).data).toEqual([expect.objectContaining({ _id: `${buyer}:${courseId}`, kind: 'subscription', courseId })]);
  });
});

describe('sendReminders', () => {
  it('reminds a subscriber once before a live lesson, however often the timer runs, and nobody else', async () => {
    const { courseId, lessonId, liveAt } = await liveCourse(10);
    const [subscriber, silent, refunded] = [uniqueName('o-remind'), uniqueName('o-remind'), uniqueName('o-remind')];
    const refundedOrder = await buy(refunded, { courseId });
    await Promise.all([buy(subscriber, { courseId }), buy(silent, { courseId })]);
    for (const learner of [subscriber, silent, refunded]) await acceptTemplate(learner);
    await ok(subscriber, 'subscribeReminder', { courseId });
    await ok(refunded, 'subscribeReminder', { courseId });
    // The refunded learner gives the course back before the live.
    expect((await requestRefund(refunded, refundedOrder)).reply.ok).toBe(true);
    await review('support', refundedOrder, true);
    await completeRefund(refundedOrder);

    const first = await fire();
    expect(first.sessions).toBeGreaterThanOrEqual(1);
    expect(await remindersOf(subscriber)).toEqual([
      expect.objectContaining({ touser: subscriber, fromFunction: 'sendReminders', page: `packages/course/lesson/index?id=${lessonId}`, data: { thing1: '第 1 次直播', date2: beijing(liveAt) } }),
    ]);
    expect(await inboxOf(subscriber)).toEqual([
      expect.objectContaining({ title: '直播即将开始', body: expect.stringContaining('「第 1 次直播」将于'), page: `packages/course/lesson/index?id=${lessonId}`, read: false }),
    ]);

    // Again, and twice at once: nothing more.
    await Promise.all([fire(), fire()]);
    await fire();
    expect(await remindersOf(subscriber)).toHaveLength(1);
    expect(await inboxOf(subscriber)).toHaveLength(1);

    // Bought but never subscribed; subscribed but refunded.
    expect(await remindersOf(silent)).toEqual([]);
    expect(await remindersOf(refunded)).toEqual([]);
    expect(await inboxOf(refunded)).toEqual([]);
  });

  it('says nothing of a live lesson more than 15 minutes away, and tells it once it comes within', async () => {
    const { courseId, lessonId } = await liveCourse(40);
    const me = uniqueName('o-remind');
    await buy(me, { courseId });
    await acceptTemplate(me);
    await ok(me, 'subscribeReminder', { courseId });
    await fire();
    expect(await remindersOf(me)).toEqual([]);

    // The live moves closer (the creator reschedules it): now it is announced.
    await db.collection('lessons').doc(lessonId).update({ data: { liveAt: new Date(Date.now() + 5 * MINUTE) } });
    await fire();
    expect(await remindersOf(me)).toHaveLength(1);
  });

  it('keeps an in-app message for a subscriber who turned the WeChat message off', async () => {
    const { courseId } = await liveCourse(10);
    const me = uniqueName('o-remind');
    await buy(me, { courseId });
    await acceptTemplate(me, false);
    await ok(me, 'subscribeReminder', { courseId });
    await fire();
    expect(await remindersOf(me)).toEqual([]);
    expect(await inboxOf(me)).toHaveLength(1);
  });

  it('reminds every subscriber of a camp day, page after page, opening the 打卡 page', async () => {
    const { courseId, startAt } = await freeCamp(8);
    // Data setup: 130 learners subscribed (more than one page of 100), each having accepted the template.
    const learners = Array.from({ length: 130 }, (_, i) => `${courseId}-o-${String(i).padStart(3, '0')}`);
    const subscribedAt = new Date();
    await db.collection('reminders').add({ data: learners.map((openid) => ({ _id: `${openid}:${courseId}`, kind: 'subscription', openid, courseId, subscribedAt })) });
    await Promise.all(learners.map((l) => acceptTemplate(l)));

    await Promise.all([fire(), fire()]);
    const told = await Promise.all(learners.map(remindersOf));
    expect(told.map((m) => m.length)).toEqual(learners.map(() => 1));
    expect(told[0]![0]).toMatchObject({ page: `packages/learn/checkin/index?courseId=${courseId}`, data: { thing1: '提醒测试训练营·Day 2', date2: beijing(startAt) } });
    expect(await inboxOf(learners[129]!)).toEqual([expect.objectContaining({ title: '训练营今日开课', body: expect.stringContaining('今日任务：改一页配色') })]);

    // One who subscribes after the run is still told before the day starts; the others are not told again.
    const late = `${courseId}-o-late`;
    await acceptTemplate(late);
    await ok(late, 'subscribeReminder', { courseId });
    await fire();
    expect(await remindersOf(late)).toHaveLength(1);
    expect((await Promise.all(learners.map(remindersOf))).every((m) => m.length === 1)).toBe(true);
  });
});
