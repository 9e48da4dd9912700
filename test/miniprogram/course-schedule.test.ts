import type { Course, Schedule } from '../../domain/catalog/model';
import { connectSdk } from '../../emulator/src/sdk';
import { database } from '../../server/database';
import { newLearner, renderPage } from '../support/miniprogram';
import { ownEmulator } from '../support/own-emulator';

/**
 * A camp's schedule as a learner meets it: the course outline says when each waiting lesson opens, and
 * the lesson page says when instead of playing it. Its own emulator: it gives the free course
 * gongkao-intro a schedule around now.
 */
const COURSE = 'gongkao-intro';
const DAY = 86_400_000;

describe('a camp’s schedule on the pages', () => {
  const { emulator } = ownEmulator('schedule-pages');
  const opensAt = new Date(Date.now() + 2 * DAY);

  beforeAll(async () => {
    const db = database(connectSdk(emulator().sdkEnv));
    const schedule: Schedule = {
      startAt: new Date(Date.now() - DAY),
      endAt: new Date(Date.now() + 7 * DAY),
      sessions: [
        { title: '第 1 天', startAt: new Date(Date.now() - DAY), durationMin: 30, lessonIds: ['gongkao-intro-01', 'gongkao-intro-02'], task: '做 5 道题' },
        { title: '第 2 天', startAt: opensAt, durationMin: 30, lessonIds: ['gongkao-intro-03'], task: '再做 5 道题' },
      ],
    };
    await db.collection<Course>('courses').doc(COURSE).update({ data: { schedule } });
  });

  const monthDay = (d: Date) => `${d.getMonth() + 1}月${d.getDate()}日`;
  const pad = (n: number) => String(n).padStart(2, '0');

  it('marks the lessons waiting for their day in the course outline', async () => {
    const page = renderPage('packages/course/detail/index', { openid: newLearner(), query: { id: COURSE }, gatewayUrl: emulator().url });
    await page.settle();
    const rows = [...page.component.dom.querySelectorAll('[data-id]')].map((row) => [row.getAttribute('data-id'), row.textContent!.replace(/\s+/g, '')]);
    const waiting = rows.filter(([, text]) => text!.includes('开放'));
    expect(waiting).toEqual([['gongkao-intro-03', expect.stringContaining(`${monthDay(opensAt)}开放`)]]);
  });

  it('tells a learner who holds the course when a waiting lesson opens, and plays an open one', async () => {
    const me = newLearner();
    const waiting = renderPage('packages/course/lesson/index', { openid: me, query: { id: 'gongkao-intro-03' }, gatewayUrl: emulator().url });
    await waiting.settle();
    expect(waiting.text('.lesson__scheduled')).toBe(`言语理解：片段阅读训练营按日程开课，本课将于 ${monthDay(opensAt)} ${pad(opensAt.getHours())}:${pad(opensAt.getMinutes())} 开放查看课程日程`);
    expect(waiting.exists('.lesson__video')).toBe(false);
    waiting.unload();

    const open = renderPage('packages/course/lesson/index', { openid: me, query: { id: 'gongkao-intro-02' }, gatewayUrl: emulator().url });
    await open.settle();
    expect(open.exists('.lesson__video')).toBe(true);
  });
});
