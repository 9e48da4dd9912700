import type { LessonView } from '../../domain/contracts/catalog';
import type { SaveProgressResponse } from '../../domain/contracts/learning';
import type { LessonProgress, ProgressState } from '../../domain/learning/model';
import { hashOf, progressId } from '../../domain/learning/progress';
import { connectSdk } from '../support/sdk';
import { newLearner, renderPage, type RenderedPage } from '../support/miniprogram';
import { boughtElsewhere, gateway } from '../support/pages';

/**
 * Audio lessons play through the app's one background audio player: on when the learner leaves the page
 * (progress still saved), with the lock screen's lines, at the learner's speed, from where they left off,
 * on to the course's next audio lesson, and shown in the mini bar of course pages.
 */
const db = connectSdk().database();
const COURSE = 'talk-persuade';
const COURSE_TITLE = '高效职场沟通：说服与反馈';

const openLesson = (openid: string, lessonId: string) => renderPage('packages/course/lesson/index', { openid, query: { id: lessonId } });
const recordOf = async (openid: string, lessonId: string) => (await db.collection<LessonProgress>('progress').doc(progressId(openid, lessonId)).get()).data;

/** Data setup, not a mock: the lesson as if opened 10 minutes ago, so the wall clock allows what the test plays. */
async function openedTenMinutesAgo(openid: string, lessonId: string) {
  const record = await recordOf(openid, lessonId);
  const state: ProgressState = { rev: record.rev, ranges: record.ranges, openedAt: record.openedAt - 600_000, accessUntil: record.accessUntil, courseId: record.courseId, durationSec: record.durationSec };
  await db.collection('progress').doc(progressId(openid, lessonId)).update({ data: { openedAt: state.openedAt, stateHash: hashOf(openid, lessonId, state) } });
}

async function buyer() {
  const openid = newLearner();
  await boughtElsewhere(openid, { courseId: COURSE });
  return openid;
}

/** The page's mini bar (`host`: its element on the page), if it shows (its nodes live inside the component). */
function miniBar(page: RenderedPage, host = '.detail__audio-bar') {
  const component = page.component.querySelector(host);
  const bar = component?.querySelector('.audio-bar');
  return bar && { text: () => bar.dom.textContent!.replace(/\s+/g, ' ').trim(), tap: (part: 'toggle' | 'body') => component!.querySelector(`.audio-bar__${part}`)!.dispatchEvent('tap') };
}

/** Taps play (or pause) in the lesson page's audio player. */
async function tapPlay(page: RenderedPage) {
  page.component.querySelector('.lesson__audio-player')!.querySelector('.audio-player__button')!.dispatchEvent('tap');
  await page.settle();
}

describe('audio lessons in the background', () => {
  it('the audio manager keeps playing when the page is left, and what plays meanwhile is saved', async () => {
    const me = await buyer();
    const page = openLesson(me, 'talk-persuade-02');
    await page.settle();
    await openedTenMinutesAgo(me, 'talk-persuade-02');
    await tapPlay(page);
    expect(page.audio.playing).toBe(true);
    expect(page.text('.lesson__audio-player')).toContain('正在播放');

    page.unload();
    await page.settle();
    page.audio.advance(30);
    await page.settle();
    expect(page.audio.playing).toBe(true);
    expect(page.audio.currentTime).toBe(30);

    // The learner pauses from the lock screen, with no page of the mini program open.
    page.audio.pauseFromSystem();
    await page.settle();
    expect(await recordOf(me, 'talk-persuade-02')).toMatchObject({ ranges: [[0, 30]], watchedSec: 30, positionSec: 30 });

    // That save checked access again and handed out a fresh URL: the next start (play in a course page's
    // mini bar) uses it, where the learner was; the URL was never swapped while playing.
    expect(page.audio.sources).toHaveLength(1);
    const course = page.open('packages/course/detail/index', { id: COURSE });
    await course.settle();
    miniBar(course)!.tap('toggle');
    await course.settle();
    expect(course.audio.playing).toBe(true);
    expect(course.audio.sources).toHaveLength(2);
    expect(course.audio.sources[1]).not.toBe(course.audio.sources[0]);
    expect(course.audio.currentTime).toBe(30);
  });

  it('shows the lesson, course and lecturer on the lock screen, resumes where the learner left off, at their speed', async () => {
    const me = await buyer();
    // On another phone: the learner stopped at 2:00.
    const opened = await gateway<LessonView>(me, 'getLesson', { lessonId: 'talk-persuade-03' });
    await gateway<SaveProgressResponse>(me, 'saveProgress', { lessonId: 'talk-persuade-03', ranges: [], positionSec: 120, state: opened.progress!.state });

    const page = openLesson(me, 'talk-persuade-03');
    await page.settle();
    page.component.querySelectorAll('.lesson__rate')[4]!.dispatchEvent('tap');
    await page.settle();
    await tapPlay(page);
    const { fields } = page.audio;
    expect(fields).toMatchObject({ title: '用数据说服，而不是用音量', epname: COURSE_TITLE, singer: '陈静', startTime: 120 });
    expect(fields.coverImgUrl).toMatch(/cover-talk-persuade\.jpg$/);
    expect(page.audio.currentTime).toBe(120);
    expect(page.audio.playbackRate).toBe(1.5);
    expect(page.text('.lesson__audio-player')).toContain('正在播放 2:00 / 8:14');

    // 4 s of wall time at 1.5x are 6 s of the lesson.
    page.audio.advance(4);
    await page.settle();
    expect(page.audio.currentTime).toBe(126);
    await tapPlay(page);
    expect(page.audio.playing).toBe(false);
    expect(page.text('.lesson__audio-player')).toContain('已暂停 2:06');
  });

  it('goes on to the course’s next audio lesson when one ends, and the mini bar of the course page shows it', async () => {
    const me = await buyer();
    const page = openLesson(me, 'talk-persuade-05');
    await page.settle();
    await tapPlay(page);
    page.audio.end();
    await page.settle();
    // The next chapter's first lesson, fetched with getLesson and played.
    expect(page.audio.fields.title).toBe('给反馈的 SBI 模型');
    expect(page.audio.playing).toBe(true);
    expect(page.cloud.calls.filter((c) => c.name === 'getLesson').map((c) => c.data)).toEqual([{ lessonId: 'talk-persuade-05' }, { lessonId: 'talk-persuade-06' }]);

    const course = page.open('packages/course/detail/index', { id: COURSE });
    await course.settle();
    expect(miniBar(course)!.text()).toBe(`给反馈的 SBI 模型${COURSE_TITLE} · 0:00 / 13:05`);
    miniBar(course)!.tap('toggle');
    await course.settle();
    expect(course.audio.playing).toBe(false);
    miniBar(course)!.tap('body');
    await course.settle();
    expect(course.wxCalls('navigateTo')).toContainEqual({ url: '/packages/course/lesson/index?id=talk-persuade-06' });
  });

  it('stops at a lesson the learner may not study yet', async () => {
    const page = openLesson(newLearner(), 'talk-persuade-01');
    await page.settle();
    await tapPlay(page);
    expect(page.audio.playing).toBe(true);
    page.audio.end();
    await page.settle();
    expect(page.audio.playing).toBe(false);
    expect(page.audio.sources).toHaveLength(1);
    expect(page.text('.lesson__audio-player')).toContain('下一课需购买课程后收听');
  });

  it('shows no mini bar while nothing plays', async () => {
    const page = renderPage('packages/course/detail/index', { openid: newLearner(), query: { id: COURSE } });
    await page.settle();
    expect(miniBar(page)).toBeUndefined();
  });
});
