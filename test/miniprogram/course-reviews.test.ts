import { newLearner, renderPage, unreachableGatewayUrl } from '../support/miniprogram';
import { connectSdk } from '../support/sdk';

const db = connectSdk().database();
const openReviews = (courseId: string, options: { gatewayUrl?: string } = {}) =>
  renderPage('packages/course/reviews/index', { openid: newLearner(), query: { courseId, rating: '4', count: '13' }, ...options });
const reviewCount = (page: ReturnType<typeof openReviews>) => page.component.dom.querySelectorAll('[class~="main--reviews__item"]').length;

describe('reviews page', () => {
  beforeAll(async () => {
    // The live IELTS course has 2 demo reviews: 11 more learners review it, one a day, so it fills two pages.
    await db.collection('reviews').add({
      data: Array.from({ length: 11 }, (_, i) => ({
        publicId: `ielts-live-test-${i}`,
        courseId: 'ielts-live',
        openid: `o-reviewer-${i}`,
        nickname: `学员${i + 1}`,
        rating: 4,
        content: `第 ${i + 1} 位学员：口语框架很实用。`,
        createdAt: new Date(Date.UTC(2026, 11, 1 + i, 12)),
      })),
    });
  });

  it("pages a course's reviews, newest first", async () => {
    const page = openReviews('ielts-live');
    expect(page.exists('.reviews__skeleton')).toBe(true);
    await page.settle();

    expect(page.text('.reviews__summary')).toBe('4 分 · 13 条评价');
    expect(reviewCount(page)).toBe(10);
    expect(page.text('.reviews__list')).toMatch(/^学学员112026-12-11第 11 位学员：口语框架很实用。举报学学员10/);

    page.reachBottom();
    await page.settle();

    expect(reviewCount(page)).toBe(13);
    expect(page.text('.reviews__list')).toMatch(/没有更多了$/);
    expect(page.cloud.calls.map((c) => c.data)).toEqual([
      { courseId: 'ielts-live', page: 1 },
      { courseId: 'ielts-live', page: 2 },
    ]);
  });

  it('reports a review with the reason the learner picks', async () => {
    const page = openReviews('ielts-live');
    await page.settle();
    page.answerActionSheet(6);
    page.tap('.reviews__report');
    await page.settle();
    expect(page.cloud.calls.at(-1)).toMatchObject({ name: 'reportContent', data: { kind: 'review', id: 'ielts-live-test-10', reason: 'other' } });
    expect(page.wxCalls('showToast')).toEqual([{ title: '已收到举报，我们会尽快处理', icon: 'none' }]);
  });

  it('invites the first review of a course without any, and retries after a network failure', async () => {
    const empty = openReviews('no-such-course');
    await empty.settle();
    expect(empty.text('.reviews__empty')).toBe('还没有评价，学完来说说你的收获吧');

    const page = openReviews('excel-basics', { gatewayUrl: await unreachableGatewayUrl() });
    await page.settle();
    expect(page.text('.reviews__error')).toContain('网络不稳定，请稍后重试');
    page.cloud.gatewayUrl = process.env.EMULATOR_URL!;
    page.tap('.reviews__retry');
    await page.settle();
    expect(reviewCount(page)).toBe(5);
  });

  it('reloads on pull-to-refresh', async () => {
    const page = openReviews('excel-basics');
    await page.settle();
    page.pullDownRefresh();
    await page.settle();
    expect(page.cloud.calls).toHaveLength(2);
    expect(page.wxCalls('stopPullDownRefresh')).toHaveLength(1);
    expect(reviewCount(page)).toBe(5);
  });
});
