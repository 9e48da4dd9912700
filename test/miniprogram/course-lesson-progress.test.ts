import type { LessonView } from '../../domain/contracts/catalog';
import type { SaveProgressResponse } from '../../domain/contracts/learning';
import type { LessonProgress, ProgressState } from '../../domain/learning/model';
import { hashOf, progressId, SAVE_INTERVAL_SEC } from '../../domain/learning/progress';
import { connectSdk } from '../support/sdk';
import { loadModule, newLearner, renderPage, unreachableGatewayUrl, type RenderedPage } from '../support/miniprogram';
import { boughtElsewhere, gateway } from '../support/pages';

/**
 * The lesson page keeps the learner's progress: it resumes where they left off, saves the ranges the
 * player really played (on pause, hide, unload and every few minutes), and keeps what it could not save
 * for the next launch.
 */
const db = connectSdk().database();
const LESSON = 'excel-basics-03';

const openLesson = (openid: string) => renderPage('packages/course/lesson/index', { openid, query: { id: LESSON } });
const recordOf = async (openid: string) => (await db.collection<LessonProgress>('progress').doc(progressId(openid, LESSON)).get()).data;

/** The video plays from `from` to `to` seconds: the player's timeupdate events, four a second (delivered on the next tick). */
function play(page: RenderedPage, from: number, to: number) {
  const video = page.component.querySelector('.lesson__video')!;
  for (let t = from; t <= to; t += 0.25) video.dispatchEvent('timeupdate', { detail: { currentTime: t, duration: 494 } });
}
const pause = (page: RenderedPage) => page.component.querySelector('.lesson__video')!.dispatchEvent('pause', {});

/** Data setup, not a mock: the lesson as if opened 10 minutes ago, so the wall clock allows what the test plays. */
async function openedTenMinutesAgo(openid: string) {
  const record = await recordOf(openid);
  const state: ProgressState = { rev: record.rev, ranges: record.ranges, openedAt: record.openedAt - 600_000, accessUntil: record.accessUntil, courseId: record.courseId, durationSec: record.durationSec };
  await db.collection('progress').doc(progressId(openid, LESSON)).update({ data: { openedAt: state.openedAt, stateHash: hashOf(openid, LESSON, state) } });
}

async function buyer() {
  const openid = newLearner();
  await boughtElsewhere(openid, { courseId: 'excel-basics' });
  return openid;
}

describe('lesson progress on the lesson page', () => {
  it('saves at the interval the server’s cost of playback rests on', () => {
    const { module } = loadModule<{ config: { progressSaveIntervalSec: number } }>('config', { openid: newLearner() });
    expect(module.config.progressSaveIntervalSec).toBe(SAVE_INTERVAL_SEC);
  });

  it('resumes where the learner left off, and saves what was played when they pause, seeks not counted', async () => {
    const me = await buyer();
    // On another phone: the learner stopped at 2:00.
    const opened = await gateway<LessonView>(me, 'getLesson', { lessonId: LESSON });
    await gateway<SaveProgressResponse>(me, 'saveProgress', { lessonId: LESSON, ranges: [], positionSec: 120, state: opened.progress!.state });

    const page = openLesson(me);
    await page.settle();
    expect(page.data.startSec).toBe(120);
    await openedTenMinutesAgo(me);

    play(page, 120, 150);
    play(page, 300, 310);
    pause(page);
    await page.settle();
    expect(await recordOf(me)).toMatchObject({
      ranges: [
        [120, 150],
        [300, 310],
      ],
      watchedSec: 40,
      positionSec: 310,
      completed: false,
    });
  });

  it('keeps what it could not save, and sends it when the mini program launches again', async () => {
    const me = await buyer();
    const page = openLesson(me);
    await page.settle();
    await openedTenMinutesAgo(me);

    page.cloud.gatewayUrl = await unreachableGatewayUrl();
    play(page, 0, 45);
    await page.settle();
    page.unload();
    await page.settle();
    expect((await recordOf(me)).watchedSec).toBe(0);

    const again = openLesson(me);
    await again.settle();
    expect(await recordOf(me)).toMatchObject({ ranges: [[0, 45]], watchedSec: 45, positionSec: 45 });
  });

  it('shows in 我的课程 how far the learner got, and 继续学习 opens the lesson they studied last', async () => {
    const me = await buyer();
    const opened = await gateway<LessonView>(me, 'getLesson', { lessonId: LESSON });
    await openedTenMinutesAgo(me);
    // The player's state is stale after the data setup: the save reads the record, as it would.
    await gateway<SaveProgressResponse>(me, 'saveProgress', { lessonId: LESSON, ranges: [[0, 150]], positionSec: 150, state: opened.progress!.state });

    const page = renderPage('packages/learn/my-courses/index', { openid: me });
    await page.settle();
    expect(page.text('.my-courses__progress')).toMatch(/^已学 \d+%$/);
    page.tap('.my-courses__continue');
    await page.settle();
    expect(page.wxCalls('navigateTo')).toEqual([{ url: `/packages/course/lesson/index?id=${LESSON}` }]);
  });
});
