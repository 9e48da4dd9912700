import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MINIPROGRAM_ROOT, newLearner, renderPage, unreachableGatewayUrl } from '../support/miniprogram';
import { boughtElsewhere, gateway } from '../support/pages';
import { staffOk } from '../support/staff';

describe('me page', () => {
  it('logs the learner in and shows their nickname', async () => {
    const openid = newLearner();
    const page = renderPage('pages/me/index', { openid });
    expect(page.text('.me__state')).toBe('加载中…');

    await page.settle();

    expect(page.text('.me__nickname')).toBe(`学员${openid.slice(-4)}`);
    expect(page.text('.me__avatar--placeholder')).toBe('学');
    expect(page.exists('.me__retry')).toBe(false);
    expect(page.cloud.calls).toEqual([
      expect.objectContaining({ name: 'login', openid, outcome: expect.objectContaining({ result: expect.objectContaining({ ok: true }) }) }),
      expect.objectContaining({ name: 'getStudySummary', openid, outcome: expect.objectContaining({ result: expect.objectContaining({ ok: true }) }) }),
    ]);
    // Nothing studied yet: the figures, and nothing to continue.
    expect(page.text('.me__study')).toBe('0本周学习（分钟）0连续打卡（天）');
    expect(page.exists('.me__continue')).toBe(false);
  });

  it('counts unread messages beside 消息 until the learner opens them', async () => {
    const openid = newLearner();
    // On another phone: homework handed in and graded, which leaves a message.
    const { homework } = await gateway<{ homework: { id: string } }>(openid, 'submitHomework', { assignmentId: 'gongkao-intro-02', text: '我的答案' });
    await staffOk('teacher', 'reviewHomework', { homeworkId: homework.id, score: 80, feedback: '不错' });
    const page = renderPage('pages/me/index', { openid });
    await page.settle();
    expect(page.text('.me__entry--messages')).toBe('消息1›');
    await gateway(openid, 'listMessages', {});
    page.hideAndShow();
    await page.settle();
    expect(page.text('.me__entry--messages')).toBe('消息›');
  });

  it('shows an error with a retry button when the network fails, and recovers on retry', async () => {
    const openid = newLearner();
    const page = renderPage('pages/me/index', { openid, gatewayUrl: await unreachableGatewayUrl() });

    await page.settle();

    expect(page.text('.me__error')).toBe('网络不稳定，请稍后重试');
    expect(page.text('.me__retry')).toBe('重试');
    expect(page.exists('.me__nickname')).toBe(false);

    page.cloud.gatewayUrl = process.env.EMULATOR_URL!;
    page.tap('.me__retry');
    await page.settle();

    expect(page.text('.me__nickname')).toBe(`学员${openid.slice(-4)}`);
    expect(page.exists('.me__error')).toBe(false);
    // login and the studying card failed, then both went through on retry.
    expect(page.cloud.calls.map((c) => [c.name, c.outcome && 'errCode' in c.outcome])).toEqual([
      ['login', true],
      ['getStudySummary', true],
      ['login', false],
      ['getStudySummary', false],
    ]);
  });

  it('initialises the cloud from the app config before calling', async () => {
    const page = renderPage('pages/me/index', { openid: newLearner() });
    await page.settle();
    expect(page.cloud.initedWith).toEqual({ env: undefined, traceUser: true });
  });

  it('shows what the learner studied this week, and 继续学习 opens the lesson they left', async () => {
    const openid = newLearner();
    await boughtElsewhere(openid, { courseId: 'excel-basics' });
    const opened = await gateway<{ progress: { state: unknown } }>(openid, 'getLesson', { lessonId: 'excel-basics-03' });
    await gateway(openid, 'saveProgress', { lessonId: 'excel-basics-03', ranges: [[0, 4]], positionSec: 4, state: opened.progress.state });
    await gateway(openid, 'checkIn', { courseId: 'excel-basics' });

    const page = renderPage('pages/me/index', { openid });
    await page.settle();
    expect(page.text('.me__study-figures')).toBe('0本周学习（分钟）1连续打卡（天）');
    expect(page.text('.me__continue')).toBe('继续学习Excel 零基础到高效办公 · 单元格格式一次讲透›');
    page.tap('.me__continue');
    await page.settle();
    expect(page.wxCalls('navigateTo')).toEqual([{ url: '/packages/course/lesson/index?id=excel-basics-03' }]);
  });
});

describe('privacy', () => {
  it('shows the privacy notice when WeChat asks, and gives WeChat the learner’s answer', async () => {
    const page = renderPage('pages/me/index', { openid: newLearner() });
    await page.settle();
    const popup = page.component.querySelector('.me__privacy')!;
    expect(popup.querySelector('.privacy')).toBeUndefined();

    const agreed = page.needPrivacyAuthorization();
    await page.settle();
    expect(popup.querySelector('.privacy__title')!.dom!.textContent).toBe('隐私保护提示');
    popup.querySelector('#privacy-agree')!.dispatchEvent('agreeprivacyauthorization', {});
    expect(await agreed).toEqual({ event: 'agree', buttonId: 'privacy-agree' });
    await page.settle();
    expect(popup.querySelector('.privacy')).toBeUndefined();

    const refused = page.needPrivacyAuthorization();
    await page.settle();
    popup.querySelector('.privacy__disagree')!.dispatchEvent('tap', {});
    expect(await refused).toEqual({ event: 'disagree' });
  });

  it('links the privacy policy from 我的, which says what is collected and what is not', async () => {
    const page = renderPage('pages/me/index', { openid: newLearner() });
    await page.settle();
    page.tap('.me__entry--privacy');
    await page.settle();
    expect(page.wxCalls('navigateTo')).toEqual([{ url: '/pages/privacy/index' }]);
    const policy = renderPage('pages/privacy/index', { openid: newLearner() });
    expect(policy.text('.policy__title')).toBe('隐私政策');
    expect(policy.text()).toContain('我们不收集你的手机号、位置或通讯录');
  });

  it('turns on WeChat’s privacy check for the whole mini program', () => {
    const app = JSON.parse(readFileSync(join(MINIPROGRAM_ROOT, 'app.json'), 'utf8')) as { __usePrivacyCheck__?: boolean; pages: string[] };
    expect(app.__usePrivacyCheck__).toBe(true);
    expect(app.pages).toContain('pages/privacy/index');
  });
});
