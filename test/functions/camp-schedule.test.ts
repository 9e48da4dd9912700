import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Course, Schedule } from '../../domain/catalog/model';
import type { CourseDetail, LessonView } from '../../domain/contracts/catalog';
import type { ListCheckInsResponse } from '../../domain/contracts/learning';
import type { Reply } from '../../domain/contracts/result';
import { connectSdk } from '../../emulator/src/sdk';
import { database } from '../../server/database';
import { ownEmulator } from '../support/own-emulator';

/**
 * A camp's schedule opens each day's lessons to the learners who hold it at that day's start: before, the
 * lesson answers 'scheduled' with when it opens, saves are refused, and the course outline says when.
 * Trial lessons stay open. Its own emulator: it moves the demo camp's days around now.
 */
const COURSE = 'ppt-camp';
const HOUR = 3_600_000;

describe('camp schedules', () => {
  const { emulator, post } = ownEmulator('schedule');

  async function call<T>(openid: string, name: string, data: Record<string, unknown>): Promise<Reply<T>> {
    return (await post<{ result: Reply<T> }>('/gateway/callFunction', { name, openid, data })).result;
  }
  async function ok<T>(openid: string, name: string, data: Record<string, unknown>): Promise<T> {
    const reply = await call<T>(openid, name, data);
    if (!reply.ok) throw new Error(`${name}: ${reply.code} ${reply.message}`);
    return reply.data;
  }
  async function buyer(openid: string) {
    const { order } = await ok<{ order: { id: string } }>(openid, 'createOrder', { courseId: COURSE, clientRequestKey: `schedule-${openid}` });
    await post(`/__emulator/pay/trades/${order.id}/pay`, {});
    return openid;
  }

  const opensIn2Days = new Date(Date.now() + 48 * HOUR);
  beforeAll(async () => {
    // Day 2 (and the trial lesson ppt-camp-02, listed with it) in two days; day 3 opened yesterday.
    const db = database(connectSdk(emulator().sdkEnv));
    const schedule: Schedule = {
      startAt: new Date(Date.now() - 48 * HOUR),
      endAt: new Date(Date.now() + 120 * HOUR),
      sessions: [
        { title: '开营', startAt: new Date(Date.now() - 48 * HOUR), durationMin: 60, lessonIds: ['ppt-camp-01'] },
        { title: 'Day 3', startAt: new Date(Date.now() - 24 * HOUR), durationMin: 30, lessonIds: ['ppt-camp-04'], task: '用图表重做一页' },
        { title: 'Day 2', startAt: opensIn2Days, durationMin: 30, lessonIds: ['ppt-camp-02', 'ppt-camp-03'], task: '改配色' },
      ],
    };
    await db.collection<Course>('courses').doc(COURSE).update({ data: { schedule } });
  });

  it('keeps a day’s lesson closed to its buyers until the day starts, with when it opens', async () => {
    const me = await buyer('o-schedule-buyer-1');
    const waiting = await ok<LessonView>(me, 'getLesson', { lessonId: 'ppt-camp-03' });
    expect(waiting).toEqual({ lesson: expect.objectContaining({ id: 'ppt-camp-03' }), access: 'scheduled', opensAt: opensIn2Days.toISOString() });

    const open = await ok<LessonView>(me, 'getLesson', { lessonId: 'ppt-camp-04' });
    expect(open.access).toBe('purchased');
    expect(open.media?.url).toBeTruthy();
  });

  it('keeps trial lessons open whatever the schedule says, and a locked lesson locked', async () => {
    const visitor = 'o-schedule-visitor';
    expect((await ok<LessonView>(visitor, 'getLesson', { lessonId: 'ppt-camp-02' })).access).toBe('trial');
    expect(await ok<LessonView>(visitor, 'getLesson', { lessonId: 'ppt-camp-03' })).toEqual({ lesson: expect.anything(), access: 'locked' });
  });

  it('refuses to save progress in a lesson whose day has not come', async () => {
    const me = await buyer('o-schedule-buyer-2');
    const reply = await call(me, 'saveProgress', { lessonId: 'ppt-camp-03', ranges: [[0, 10]], positionSec: 10 });
    expect(reply).toMatchObject({ ok: false, code: 'FORBIDDEN', message: '本课尚未开放，开放后才能记录学习进度' });
    expect((await call(me, 'saveProgress', { lessonId: 'ppt-camp-04', ranges: [], positionSec: 0 })).ok).toBe(true);
  });

  it('shows the task of today’s session on the 打卡 page, and none on a day without one', async () => {
    const me = await buyer('o-schedule-buyer-3');
    expect((await ok<ListCheckInsResponse>(me, 'listCheckIns', { courseId: COURSE })).task).toBeUndefined();
    // Another camp whose second day is today: pen-camp, bought the same way.
    const db = database(connectSdk(emulator().sdkEnv));
    const now = Date.now();
    const schedule: Schedule = {
      startAt: new Date(now - 24 * HOUR),
      endAt: new Date(now + 120 * HOUR),
      sessions: [
        { title: 'Day 1 开营', startAt: new Date(now - 24 * HOUR), durationMin: 30, lessonIds: ['pen-camp-01'], task: '写下你的学习目标' },
        { title: 'Day 2 横与竖', startAt: new Date(now), durationMin: 30, lessonIds: ['pen-camp-02'], task: '横竖各写 20 遍，拍照打卡' },
      ],
    };
    await db.collection<Course>('courses').doc('pen-camp').update({ data: { schedule } });
    const { order } = await ok<{ order: { id: string } }>(me, 'createOrder', { courseId: 'pen-camp', clientRequestKey: `schedule-pen-${me}` });
    await post(`/__emulator/pay/trades/${order.id}/pay`, {});
    const page = await ok<ListCheckInsResponse>(me, 'listCheckIns', { courseId: 'pen-camp' });
    expect(page.task).toEqual({ title: 'Day 2 横与竖', text: '横竖各写 20 遍，拍照打卡' });
  });

  it('takes no homework for a lesson that has not opened yet', async () => {
    const me = await buyer('o-schedule-buyer-4');
    const reply = await call(me, 'submitHomework', { assignmentId: 'ppt-camp-03', text: '提前交的作业' });
    expect(reply).toEqual({ ok: false, code: 'FORBIDDEN', message: '本课尚未开放，开放后再来交作业' });
  });

  it('marks in the course outline when each waiting lesson opens', async () => {
    const { course } = await ok<CourseDetail>('o-schedule-visitor', 'getCourse', { courseId: COURSE });
    const lessons = course.outline.flatMap((c) => c.lessons);
    expect(lessons.filter((l) => l.opensAt).map((l) => [l.id, l.opensAt])).toEqual([['ppt-camp-03', opensIn2Days.toISOString()]]);
  });
});

describe('the demo camps', () => {
  const courses = readFileSync(join(__dirname, '../../database/demo/courses.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Course)
    .filter((c) => c.form === 'camp');

  it('open every lesson on one of their days, each day with a check-in task', () => {
    expect(courses.map((c) => c._id).sort()).toEqual(['kaoyan-words', 'pen-camp', 'ppt-camp']);
    for (const course of courses) {
      const outline = course.outline.flatMap((c) => c.lessons.map((l) => l.id));
      const scheduled = course.schedule!.sessions.flatMap((s) => s.lessonIds ?? []);
      expect([course._id, [...scheduled].sort()]).toEqual([course._id, [...outline].sort()]);
      for (const session of course.schedule!.sessions) expect([course._id, session.title, session.task]).toEqual([course._id, session.title, expect.any(String)]);
    }
  });
});
