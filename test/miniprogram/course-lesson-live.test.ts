import { randomBytes } from 'node:crypto';
import type { Lesson } from '../../domain/catalog/model';
import { newLearner, renderPage } from '../support/miniprogram';
import { boughtElsewhere } from '../support/pages';
import { connectSdk } from '../support/sdk';
import { channelsCalls, setChannelLive } from '../support/wx/channels';
import { answerSubscribeDialog } from '../support/wx/subscribe';

/**
 * A live lesson streamed on 视频号: a countdown and 提醒我 before its time, the live opened in 视频号 at its
 * time (its state from WeChat), and the replay played as a recorded video afterwards. Its lessons are added
 * to the free course gongkao-intro, or to ielts-live for its learner (outside the outlines: no other test
 * sees them).
 */
const db = connectSdk().database();
const CHANNEL = 'sphTestTeacher';
const FEED = 'export/testLiveFeed';
const REPLAY = 'cloud://local-env.6c6f-local-env-1300000000/demo/lesson-exam.mp4';

async function liveLesson(liveAt: Date, extra: Partial<NonNullable<Lesson['live']>> = {}, courseId = 'gongkao-intro'): Promise<string> {
  const id = `test-live-${randomBytes(5).toString('hex')}`;
  await db.collection('lessons').add({
    data: { _id: id, courseId, chapterIndex: 0, order: 99, title: '直播答疑', type: 'live', durationSec: 3600, trial: false, liveAt, live: { finderUserName: CHANNEL, feedId: FEED, ...extra } },
  });
  return id;
}

async function openLesson(id: string, openid = newLearner()) {
  return renderPage('packages/course/lesson/index', { openid, query: { id } });
}

describe('a live lesson', () => {
  it('counts down before the live, and 提醒我 subscribes to the live reminder', async () => {
    // A live course's learner (reminders are for courses with lives or camp days).
    const me = newLearner();
    await boughtElsewhere(me, { courseId: 'ielts-live' });
    const page = await openLesson(await liveLesson(new Date(Date.now() + 26 * 3_600_000), {}, 'ielts-live'), me);
    await page.settle();
    expect(page.text('.lesson__live-panel >>> .live__countdown')).toMatch(/^距开播 ?1 天 0[12]:\d\d:\d\d$/);
    expect(page.exists('.lesson__live-panel >>> .live__enter')).toBe(false);
    expect(page.exists('.lesson__video')).toBe(false);

    page.tap('.lesson__live-panel >>> .live__remind');
    await page.settle();
    expect(page.wxCalls('showToast')).toEqual([{ title: '开播前会提醒你', icon: 'none' }]);
    expect(page.text('.lesson__live-panel >>> .live__reminded')).toBe('已设置开播提醒');
    expect(page.wxCalls('showToast')).toEqual([{ title: '开播前会提醒你', icon: 'none' }]);
    // Recorded for the reminder timer (sendReminders).
    expect((await db.collection('reminders').where({ openid: me, courseId: 'ielts-live' }).get()).data).toHaveLength(1);
  });

  it('says so when the learner declines the reminder', async () => {
    const page = await openLesson(await liveLesson(new Date(Date.now() + 3_600_000)));
    await page.settle();
    answerSubscribeDialog(false);
    page.tap('.lesson__live-panel >>> .live__remind');
    await page.settle();
    expect(page.exists('.lesson__live-panel >>> .live__reminded')).toBe(false);
    expect(page.wxCalls('showToast')).toEqual([{ title: '未开启提醒，可在设置中打开订阅消息', icon: 'none' }]);
  });

  it('opens the live in 视频号 when it is on air', async () => {
    const page = await openLesson(await liveLesson(new Date(Date.now() - 60_000)));
    setChannelLive(CHANNEL, { status: 2, feedId: FEED, nonceId: 'nonce-1' });
    await page.settle();
    expect(page.text('.lesson__live-panel >>> .live__state')).toBe('直播中');

    page.tap('.lesson__live-panel >>> .live__enter');
    await page.settle();
    expect(channelsCalls('getChannelsLiveInfo').at(-1)).toEqual({ finderUserName: CHANNEL });
    expect(channelsCalls('openChannelsLive')).toEqual([{ finderUserName: CHANNEL, feedId: FEED, nonceId: 'nonce-1' }]);
  });

  it('waits for the host when the channel is not on air yet at the time', async () => {
    const page = await openLesson(await liveLesson(new Date(Date.now() - 60_000)));
    // The channel's latest live is an older one.
    setChannelLive(CHANNEL, { status: 3, feedId: 'export/olderFeed', nonceId: 'nonce-0' });
    await page.settle();
    expect(page.text('.lesson__live-panel >>> .live__state')).toBe('主播即将开播，请稍候');

    page.tap('.lesson__live-panel >>> .live__enter');
    await page.settle();
    expect(channelsCalls('openChannelsLive')).toEqual([]);
    expect(page.wxCalls('showToast')).toEqual([{ title: '主播还未开播，请稍后再试', icon: 'none' }]);
  });

  it('plays the replay as a recorded video after the live', async () => {
    const page = await openLesson(await liveLesson(new Date(Date.now() - 2 * 3_600_000), { replay: { fileId: REPLAY } }));
    setChannelLive(CHANNEL, { status: 3, feedId: FEED, nonceId: 'nonce-1' });
    await page.settle();
    expect(page.exists('.lesson__video')).toBe(true);
    expect(String(page.data.mediaUrl)).toMatch(/\/demo\/lesson-exam\.mp4\?sign=/);
    expect(page.text('.lesson__live-panel >>> .live__state')).toBe('直播已结束，可观看上方回放');
    expect(page.exists('.lesson__live-panel >>> .live__enter')).toBe(false);
  });
});
