import { newLearner, renderPage, unreachableGatewayUrl } from '../support/miniprogram';

const openCourse = (id: string, options: { gatewayUrl?: string } = {}) =>
  renderPage('packages/course/detail/index', { openid: newLearner(), query: { id }, ...options });

/** The lesson rows of the outline as a learner reads them: title, trial badge, lock. */
function lessonRows(page: ReturnType<typeof openCourse>) {
  return [...page.component.dom.querySelectorAll('[class*="outline__lesson"][data-id]')].map((row) => ({
    id: row.getAttribute('data-id'),
    text: row.textContent,
    locked: row.querySelector('[class*="lock-on"]') !== null,
  }));
}

describe('course detail page', () => {
  it('shows the course, the price to pay, the refund rule, the lecturer, the outline with trial badges and the latest reviews', async () => {
    const page = openCourse('excel-basics');
    expect(page.exists('.detail__skeleton')).toBe(true);
    await page.settle();

    expect(page.text('.detail__header')).toContain('Excel 零基础到高效办公');
    expect(page.text('.detail__price-row')).toBe('¥9.9¥493 人拼团价 ¥6.9');
    expect(page.text('.detail__stats')).toBe('4.6 分12 节 · 2 小时 17 分钟 · 1.3万人已学');
    expect(page.text('.detail__refund')).toBe('购买后 7 天内且学习进度不超过 30% 可申请退款');
    expect(page.text('.detail__lecturer')).toContain('王思远微软 Office 认证讲师');
    expect(page.text('.detail__outline')).toContain('第一章 认识 Excel4 节');
    expect(page.text('.detail__outline')).toContain('第三章 图表与打印4 节');

    const rows = lessonRows(page);
    expect(rows).toHaveLength(12);
    expect(rows.slice(0, 3)).toEqual([
      { id: 'excel-basics-01', text: '界面与基本操作5 分钟试看', locked: false },
      { id: 'excel-basics-02', text: '数据录入的五个好习惯7 分钟试看', locked: false },
      { id: 'excel-basics-03', text: '单元格格式一次讲透8 分钟', locked: true },
    ]);
    expect(rows.filter((r) => r.locked)).toHaveLength(10);

    expect(page.text('.detail__reviews')).toMatch(/^学员评价（5）查看全部小林.*讲得很清楚/);
    expect(page.component.dom.querySelectorAll('[class*="detail__review-content"]')).toHaveLength(3);
    expect(page.wxCalls('setNavigationBarTitle')).toEqual([{ title: 'Excel 零基础到高效办公' }]);
  });

  it('offers a free trial and the purchase (test/miniprogram/purchase.test.ts buys)', async () => {
    const page = openCourse('excel-basics');
    await page.settle();

    expect(page.text('.detail__bar')).toBe('免费试看立即购买 ¥9.9发起拼团 ¥6.9');
    page.tap('.detail__trial');
    page.tap('.detail__all-reviews');
    await page.settle();

    expect(page.wxCalls('navigateTo').map((o) => o.url)).toEqual([
      '/packages/course/lesson/index?id=excel-basics-01',
      '/packages/course/reviews/index?courseId=excel-basics&rating=4.6&count=5',
    ]);
  });

  it('opens every lesson of a free course, with no refund rule to read, and lists it in my courses once started', async () => {
    const learner = newLearner();
    const page = renderPage('packages/course/detail/index', { openid: learner, query: { id: 'gongkao-intro' } });
    await page.settle();

    expect(page.text('.detail__price-row')).toBe('免费');
    expect(page.exists('.detail__refund')).toBe(false);
    expect(lessonRows(page).every((r) => !r.locked && !r.text!.includes('试看'))).toBe(true);
    page.tap('.detail__study');
    await page.settle();
    expect(page.wxCalls('navigateTo')).toEqual([{ url: '/packages/course/lesson/index?id=gongkao-intro-01' }]);

    const myCourses = renderPage('packages/learn/my-courses/index', { openid: learner });
    await myCourses.settle();
    expect(myCourses.text()).toContain('公务员行测入门');
    expect(myCourses.text('.my-courses__date')).toMatch(/^\d{4}-\d{2}-\d{2} 加入学习$/);
  });

  it('shows the schedule of a camp', async () => {
    const page = openCourse('pen-camp');
    await page.settle();
    expect(page.text('.detail__schedule')).toMatch(/^课程安排11月11日 \d\d:00 开始，2026-12-0\d 结束开营直播：握笔与坐姿/);
  });

  it('shares the course with its cover', async () => {
    const page = openCourse('excel-basics');
    await page.settle();
    const share = (page.component.instance.onShareAppMessage as () => unknown)();
    expect(share).toEqual({
      title: 'Excel 零基础到高效办公',
      path: '/packages/course/detail/index?id=excel-basics',
      imageUrl: 'cloud://local-env.6c6f-local-env-1300000000/demo/cover-excel-basics.jpg',
    });
  });

  it('explains an unknown course and leads home, and retries after a network failure', async () => {
    const missing = openCourse('no-such-course');
    await missing.settle();
    expect(missing.text('.detail__error')).toBe('课程不存在或已下架去首页看看');
    missing.tap('.detail__home');
    await missing.settle();
    expect(missing.wxCalls('switchTab')).toEqual([{ url: '/pages/home/index' }]);

    const page = openCourse('excel-basics', { gatewayUrl: await unreachableGatewayUrl() });
    await page.settle();
    expect(page.text('.detail__error')).toContain('网络不稳定，请稍后重试');
    page.cloud.gatewayUrl = process.env.EMULATOR_URL!;
    page.tap('.detail__retry');
    await page.settle();
    expect(page.text('.detail__header')).toContain('Excel 零基础到高效办公');
  });
});
