import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { InboxMessage } from '../../domain/messages/inbox';
import { newLearner, renderPage } from '../support/miniprogram';
import { connectSdk } from '../support/sdk';

/**
 * 我的 and 编辑资料 (issue 10): the learner's avatar and nickname from WeChat's own components, after the
 * privacy notice, saved through the real storage rules and updateProfile; the links of 我的; 消息.
 */
const db = connectSdk().database();

/** What WeChat's chooseAvatar hands the page: a temp file on the phone. */
function chosenAvatar(): string {
  const path = join(mkdtempSync(join(tmpdir(), 'zhishi-avatar-')), 'wx-avatar.png');
  writeFileSync(path, Buffer.from('png-bytes'));
  return path;
}

describe('编辑资料', () => {
  it('opens from 我的, asks for the privacy authorization, saves the chosen avatar and nickname, and 我的 shows them', async () => {
    const openid = newLearner();
    const me = renderPage('pages/me/index', { openid });
    await me.settle();
    me.tap('.me__profile');
    await me.settle();
    expect(me.wxCalls('navigateTo')).toEqual([{ url: '/packages/learn/profile/index' }]);

    const page = me.open('packages/learn/profile/index');
    await page.settle();
    expect(page.data).toMatchObject({ nickname: `学员${openid.slice(-4)}` });

    // Tapping chooseAvatar, WeChat first asks the page to show its privacy notice; the learner agrees.
    const agreed = page.needPrivacyAuthorization();
    await page.settle();
    const popup = page.component.querySelector('.profile__privacy')!;
    expect(popup.querySelector('.privacy__title')!.dom!.textContent).toBe('隐私保护提示');
    popup.querySelector('#privacy-agree')!.dispatchEvent('agreeprivacyauthorization', {});
    expect(await agreed).toEqual({ event: 'agree', buttonId: 'privacy-agree' });

    page.component.querySelector('.profile__avatar-button')!.dispatchEvent('chooseavatar', { detail: { avatarUrl: chosenAvatar() } });
    page.component.querySelector('.profile__nickname')!.dispatchEvent('blur', { detail: { value: ' 小林同学 ' } });
    await page.settle();
    page.tap('.profile__save');
    await page.settle();
    expect(page.wxCalls('showToast')).toEqual([{ title: '已保存', icon: 'none' }]);
    expect(page.wxCalls('navigateBack')).toHaveLength(1);

    const saved = (await db.collection<{ nickname: string; avatarUrl: string }>('users').doc(openid).get()).data;
    expect(saved.nickname).toBe('小林同学');
    expect(saved.avatarUrl).toMatch(new RegExp(`^cloud://.+/avatars/${openid}/\\d+\\.png$`));

    me.hideAndShow();
    await me.settle();
    expect(me.text('.me__nickname')).toBe('小林同学');
    expect(me.data.avatarUrl).toBe(saved.avatarUrl);
    expect(me.exists('.me__avatar--placeholder')).toBe(false);
  });

  it('shows why a nickname was refused, and keeps the old one', async () => {
    const openid = newLearner();
    const page = renderPage('packages/learn/profile/index', { openid });
    await page.settle();
    page.component.querySelector('.profile__nickname')!.dispatchEvent('input', { detail: { value: '加微信领资料' } });
    page.tap('.profile__save');
    await page.settle();
    expect(page.wxCalls('showToast')).toEqual([{ title: '昵称未通过微信内容安全检测，请换一个', icon: 'none' }]);
    expect(page.wxCalls('navigateBack')).toEqual([]);
    expect((await db.collection<{ nickname: string }>('users').doc(openid).get()).data.nickname).toBe(`学员${openid.slice(-4)}`);
  });
});

describe('我的 links', () => {
  it('leads to homework, messages, the check-in calendar and 客服', async () => {
    const page = renderPage('pages/me/index', { openid: newLearner() });
    await page.settle();
    for (const entry of ['homework', 'messages', 'checkin']) page.tap(`.me__entry--${entry}`);
    await page.settle();
    expect(page.wxCalls('navigateTo')).toEqual([
      { url: '/packages/learn/homework-list/index' },
      { url: '/packages/learn/messages/index' },
      // Nothing studied yet: 打卡 is per course, picked from 我的课程.
      { url: '/packages/learn/my-courses/index' },
    ]);
    // WeChat's own button (open-type="contact" opens the customer service chat; the harness keeps no open-type).
    expect(page.component.querySelector('.me__entry--contact')!.dom!.tagName).toBe('WX-BUTTON');
    expect(page.text('.me__entry--contact')).toBe('联系客服›');
  });
});

describe('消息', () => {
  it('lists the learner’s messages newest first, a page at a time, each opening what it is about', async () => {
    const openid = newLearner();
    const at = Date.now();
    // Data setup: 12 messages the product left (homework graded, reminders).
    await db.collection<Omit<InboxMessage, '_id'>>('messages').add({
      data: Array.from({ length: 12 }, (_, i) => ({
        openid,
        kind: 'homeworkReviewed' as const,
        title: `作业已批改 ${i + 1}`,
        body: `第 ${i + 1} 次作业得分 90`,
        page: 'packages/learn/homework-list/index',
        read: false,
        createdAt: new Date(at - (12 - i) * 60_000),
      })),
    });
    const page = renderPage('packages/learn/messages/index', { openid });
    await page.settle();
    expect(page.component.querySelectorAll('.messages__item')).toHaveLength(10);
    expect(page.text('.messages__title')).toBe('作业已批改 12');
    page.reachBottom();
    await page.settle();
    expect(page.component.querySelectorAll('.messages__item')).toHaveLength(12);
    expect(page.text('.messages__more')).toBe('没有更多了');
    page.tap('.messages__item');
    await page.settle();
    expect(page.wxCalls('navigateTo')).toEqual([{ url: '/packages/learn/homework-list/index' }]);
  });

  it('says what will show up there when empty', async () => {
    const page = renderPage('packages/learn/messages/index', { openid: newLearner() });
    await page.settle();
    expect(page.text('.messages__empty')).toContain('暂无消息');
  });
});
