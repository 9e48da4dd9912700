import type { CheckDownloadsResponse } from '../../domain/contracts/downloads';
import { staffOk, type StaffAccount } from '../support/staff';
import { emulatorUrl } from '../support/sdk';
import { postJson } from '../support/wx/http';
import { newLearner, renderPage, type RenderedPage } from '../support/miniprogram';
import { boughtElsewhere, gateway } from '../support/pages';
import { userFilesOf } from '../support/wx/files';

/**
 * Offline audio: an entitled learner downloads an audio lesson, finds it under 我的 > 下载 with its size,
 * plays it without network and deletes it; downloads whose access ended vanish; nobody else may download.
 */
const COURSE = 'talk-persuade';
const LESSON = 'talk-persuade-02';

const openLesson = (openid: string, lessonId = LESSON) => renderPage('packages/course/lesson/index', { openid, query: { id: lessonId } });
const player = (page: RenderedPage) => page.component.querySelector('.lesson__audio-player')!;

/** On the lesson page: taps 下载到手机 and waits for the copy. */
async function download(page: RenderedPage) {
  player(page).querySelector('.audio-player__download')!.dispatchEvent('tap');
  await page.settle();
}

/** Taps the first download's `part` ('main' plays, 'delete' deletes) on the downloads page. */
function tapDownload(page: RenderedPage, part: 'main' | 'delete') {
  page.component.querySelector(`.downloads__${part}`)!.dispatchEvent('tap');
}

describe('offline downloads', () => {
  it('downloads an owned audio lesson, plays it without network, and deletes it', async () => {
    const me = newLearner();
    await boughtElsewhere(me, { courseId: COURSE });
    const page = openLesson(me);
    await page.settle();
    expect(page.text('.lesson__audio-player')).toContain('下载到手机');
    await download(page);
    expect(page.text('.lesson__audio-player')).toContain('已下载，可离线收听');
    expect(userFilesOf(me)).toEqual([`lesson-${LESSON}.m4a`]);

    // 我的 > 下载
    const mePage = page.open('pages/me/index');
    await mePage.settle();
    mePage.tap('.me__entry--downloads');
    await mePage.settle();
    expect(mePage.wxCalls('navigateTo')).toEqual([{ url: '/packages/learn/downloads/index' }]);
    const downloads = mePage.open('packages/learn/downloads/index');
    await downloads.settle();
    expect(downloads.text('.downloads__item')).toMatch(/^听懂对方真正的需求高效职场沟通：说服与反馈 · \d+\.\d KB删除$/);

    downloads.setNetwork(false);
    tapDownload(downloads, 'main');
    await downloads.settle();
    expect(downloads.audio.playing).toBe(true);
    expect(downloads.audio.src).toBe(`wxfile://usr/lesson-${LESSON}.m4a`);
    expect(downloads.audio.fields).toMatchObject({ title: '听懂对方真正的需求', epname: '高效职场沟通：说服与反馈', singer: '陈静' });
    downloads.audio.advance(10);
    downloads.audio.pauseFromSystem();
    await downloads.settle();
    expect(downloads.audio.playing).toBe(false);

    tapDownload(downloads, 'delete');
    await downloads.settle();
    expect(downloads.wxCalls('showModal')).toHaveLength(1);
    expect(userFilesOf(me)).toEqual([]);
    expect(downloads.exists('.downloads__item')).toBe(false);
    expect(downloads.text()).toContain('还没有下载的音频');
  });

  /** A learner staff gave the course to, with its lessons `lessonIds` downloaded; answers the last lesson page and staff. */
  async function grantedAndDownloaded(...lessonIds: string[]) {
    const me = newLearner();
    const staff: StaffAccount = 'support';
    await gateway(me, 'login', {});
    await staffOk(staff, 'grantCourse', { openid: me, courseId: COURSE, note: '合作方赠课' });
    let page: RenderedPage | undefined;
    for (const lessonId of lessonIds) {
      page = openLesson(me, lessonId);
      await page.settle();
      await download(page);
    }
    expect(userFilesOf(me)).toHaveLength(lessonIds.length);
    return { me, staff, page: page! };
  }
  const revoke = (staff: StaffAccount, openid: string) => staffOk(staff, 'revokeGrant', { openid, courseId: COURSE, note: '赠课有误' });

  it('removes downloads whose access ended when 下载 opens, once it can ask', async () => {
    const { me, staff, page } = await grantedAndDownloaded(LESSON, 'talk-persuade-03');
    await revoke(staff, me);
    // Offline, the downloads page cannot ask: they stay until it can.
    page.setNetwork(false);
    const downloads = page.open('packages/learn/downloads/index');
    await downloads.settle();
    expect(downloads.component.querySelectorAll('.downloads__item')).toHaveLength(2);
    downloads.setNetwork(true);
    downloads.hideAndShow();
    await downloads.settle();
    expect(downloads.exists('.downloads__item')).toBe(false);
    expect(userFilesOf(me)).toEqual([]);
    expect(downloads.wxCalls('showToast')).toContainEqual({ title: '2 个下载的课程已无法学习，已删除', icon: 'none' });
  });

  it('removes downloads whose access ended when the mini program launches', async () => {
    const { me, staff } = await grantedAndDownloaded(LESSON);
    await revoke(staff, me);
    const home = renderPage('pages/me/index', { openid: me });
    await home.settle();
    expect(userFilesOf(me)).toEqual([]);
  });

  it('offers no download of a free trial or a locked lesson, and the server keeps none for them', async () => {
    const guest = newLearner();
    const trial = openLesson(guest, 'talk-persuade-01');
    await trial.settle();
    expect(trial.exists('.lesson__audio-player')).toBe(true);
    expect(trial.text('.lesson__audio-player')).not.toContain('下载');
    const locked = openLesson(guest);
    await locked.settle();
    expect(locked.exists('.lesson__audio-player')).toBe(false);
    expect(locked.text()).toContain('购买后即可学习本课');

    expect(await gateway<CheckDownloadsResponse>(guest, 'checkDownloads', { lessonIds: ['talk-persuade-01', LESSON, 'no-such-lesson'] })).toEqual({ keep: [] });
    const buyer = newLearner();
    await boughtElsewhere(buyer, { courseId: COURSE });
    const kept = await gateway<CheckDownloadsResponse>(buyer, 'checkDownloads', { lessonIds: ['talk-persuade-01', LESSON, 'excel-basics-03'] });
    expect(kept.keep.sort()).toEqual(['talk-persuade-01', LESSON]);
    const refused = await postJson<{ result: unknown }>(`${emulatorUrl()}/gateway/callFunction`, { name: 'checkDownloads', openid: buyer, data: { lessonIds: [] } });
    expect(refused.body.result).toMatchObject({ ok: false, message: expect.stringContaining('没有要检查的下载') });
  });
});
