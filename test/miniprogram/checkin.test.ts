import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beijingDay } from '../../domain/learning/calendar';
import { newLearner, renderPage } from '../support/miniprogram';
import { boughtElsewhere, gateway } from '../support/pages';
import { emulatorUrl } from '../support/sdk';
import { pickMedia } from '../support/wx/choose';
import { postJson } from '../support/wx/http';

/** The 打卡 page: the month's calendar, today's check-in, and the latest check-ins of the course. */
const COURSE = 'excel-basics';

describe('check-in page', () => {
  it('checks the learner in today, with a few words, and shows the streak and the calendar', async () => {
    const me = newLearner();
    await boughtElsewhere(me, { courseId: COURSE });
    const page = renderPage('packages/learn/checkin/index', { openid: me, query: { courseId: COURSE } });
    await page.settle();
    expect(page.text('.checkin__summary')).toBe('0连续打卡（天）0累计打卡（天）');
    const today = beijingDay(new Date());
    expect(page.text('.checkin__month-title')).toBe(`${today.slice(0, 4)}年${Number(today.slice(5, 7))}月`);
    expect(page.component.dom.querySelectorAll('[class~="main--checkin__day--today"]')).toHaveLength(1);

    page.component.querySelector('.checkin__text')!.dispatchEvent('input', { detail: { value: '今天学会了数据透视表' } });
    page.tap('.checkin__submit');
    await page.settle();
    expect(page.wxCalls('showToast')).toEqual([{ title: '打卡成功，已连续 1 天', icon: 'none' }]);
    expect(page.text('.checkin__summary')).toBe('1连续打卡（天）1累计打卡（天）');
    expect(page.component.dom.querySelectorAll('[class~="main--checkin__day--checked"]')).toHaveLength(1);
    expect(page.text('.checkin__submit')).toBe('今日已打卡');
    expect(page.exists('.checkin__text')).toBe(false);
    expect(page.text('.checkin__recent')).toContain('我');
    expect(page.text('.checkin__recent')).toContain('今天学会了数据透视表');
  });

  it('tells a learner who has not bought the course why they cannot check in', async () => {
    const page = renderPage('packages/learn/checkin/index', { openid: newLearner(), query: { courseId: COURSE } });
    await page.settle();
    expect(page.text('.checkin__error')).toContain('购买课程后才能打卡');
  });

  it('is reached from 我的课程', async () => {
    const me = newLearner();
    await boughtElsewhere(me, { courseId: COURSE });
    const page = renderPage('packages/learn/my-courses/index', { openid: me });
    await page.settle();
    page.tap('.my-courses__checkin');
    await page.settle();
    expect(page.wxCalls('navigateTo')).toEqual([{ url: `/packages/learn/checkin/index?courseId=${COURSE}` }]);
  });
});

describe('check-in page: pictures and reports', () => {
  const dir = mkdtempSync(join(tmpdir(), 'zhishi-checkin-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('checks in with a picture, shown to others once WeChat passed it', async () => {
    const me = newLearner();
    await boughtElsewhere(me, { courseId: COURSE });
    const page = renderPage('packages/learn/checkin/index', { openid: me, query: { courseId: COURSE } });
    await page.settle();
    const photo = join(dir, 'desk.jpg');
    writeFileSync(photo, 'jpeg-bytes');
    pickMedia([photo]);
    page.tap('.checkin__add');
    await new Promise((r) => setTimeout(r, 20));
    page.component.querySelector('.checkin__privacy')!.querySelector('#privacy-agree')!.dispatchEvent('agreeprivacyauthorization', {});
    await page.settle();
    page.component.querySelector('.checkin__text')!.dispatchEvent('input', { detail: { value: '今天的练习表格' } });
    page.tap('.checkin__submit');
    await page.settle();
    expect(page.wxCalls('showToast')).toEqual([{ title: '打卡成功，内容审核后展示', icon: 'none' }]);
    expect(page.text('.checkin__recent')).toContain('审核中，仅自己可见');

    const other = newLearner();
    await boughtElsewhere(other, { courseId: COURSE });
    const before = await gateway<{ recent: Array<{ text?: string }> }>(other, 'listCheckIns', { courseId: COURSE });
    expect(before.recent.map((r) => r.text)).not.toContain('今天的练习表格');
    await postJson(`${emulatorUrl()}/__emulator/openapi/media-checks/flush?openid=${me}`, {});
    const after = await gateway<{ recent: Array<{ text?: string; images: string[] }> }>(other, 'listCheckIns', { courseId: COURSE });
    expect(after.recent.find((r) => r.text === '今天的练习表格')).toMatchObject({ images: [expect.stringMatching(/^http/)] });
  });

  it('reports another learner’s check-in with a reason', async () => {
    const author = newLearner();
    await boughtElsewhere(author, { courseId: COURSE });
    await gateway(author, 'checkIn', { courseId: COURSE, text: '加我领取全套资料' });
    const me = newLearner();
    await boughtElsewhere(me, { courseId: COURSE });
    const page = renderPage('packages/learn/checkin/index', { openid: me, query: { courseId: COURSE } });
    await page.settle();
    page.answerActionSheet(0);
    page.tap('.checkin__report');
    await page.settle();
    expect(page.wxCalls('showActionSheet')).toEqual([{ itemList: ['垃圾广告', '辱骂攻击', '色情低俗', '违法违规', '诈骗', '侵犯版权', '其他'] }]);
    expect(page.wxCalls('showToast')).toEqual([{ title: '已收到举报，我们会尽快处理', icon: 'none' }]);
  });
});
