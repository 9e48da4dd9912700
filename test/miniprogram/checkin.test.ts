import { beijingDay } from '../../domain/learning/calendar';
import { newLearner, renderPage } from '../support/miniprogram';
import { boughtElsewhere } from '../support/pages';

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
