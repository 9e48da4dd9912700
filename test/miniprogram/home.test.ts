import { newLearner, renderPage, unreachableGatewayUrl } from '../support/miniprogram';

describe('home page', () => {
  it('shows a skeleton, then the banners, the categories, the featured and the newest courses', async () => {
    const page = renderPage('pages/home/index', { openid: newLearner() });
    expect(page.exists('.home__skeleton')).toBe(true);

    await page.settle();

    expect(page.exists('.home__skeleton')).toBe(false);
    expect(page.component.querySelectorAll('.home__banner')).toHaveLength(3);
    expect(page.text('.home__categories')).toContain('Excel 与数据');
    expect(page.text('.home__categories')).toContain('书法');
    const featured = page.text('.home__featured');
    expect(featured).toMatch(/^精选好课视频课Excel 零基础到高效办公/);
    expect(featured).toContain('王思远 · 12 节¥9.9¥49会员免费1.3万人已学');
    expect(page.text('.home__newest')).toContain('雅思口语 7 分直播课');
    expect(page.cloud.calls.map((c) => c.name)).toEqual(['getHome']);
  });

  it('opens search from the search bar, a course from a banner, and a category from its shortcut', async () => {
    const page = renderPage('pages/home/index', { openid: newLearner() });
    await page.settle();

    page.tap('.home__search');
    page.tap('.home__banner');
    page.tap('.home__category');
    await page.settle();

    expect(page.wxCalls('navigateTo').map((o) => o.url)).toEqual(['/packages/course/search/index', '/packages/course/detail/index?id=excel-advanced']);
    expect(page.wxCalls('switchTab')).toEqual([{ url: '/pages/category/index' }]);
  });

  it('shows an error with a retry button when the network fails, and recovers on retry', async () => {
    const page = renderPage('pages/home/index', { openid: newLearner(), gatewayUrl: await unreachableGatewayUrl() });
    await page.settle();

    expect(page.text('.home__error')).toBe('网络不稳定，请稍后重试重试');
    expect(page.exists('.home__featured')).toBe(false);

    page.cloud.gatewayUrl = process.env.EMULATOR_URL!;
    page.tap('.home__retry');
    await page.settle();

    expect(page.exists('.home__error')).toBe(false);
    expect(page.text('.home__featured')).toContain('Excel 零基础到高效办公');
  });

  it('reloads on pull-to-refresh, keeping the courses on screen, and stops the refresh indicator', async () => {
    const page = renderPage('pages/home/index', { openid: newLearner() });
    await page.settle();

    page.pullDownRefresh();
    expect(page.exists('.home__skeleton')).toBe(false);
    await page.settle();

    expect(page.cloud.calls.map((c) => c.name)).toEqual(['getHome', 'getHome']);
    expect(page.wxCalls('stopPullDownRefresh')).toHaveLength(1);
    expect(page.text('.home__featured')).toContain('Excel 零基础到高效办公');
  });

  it('shares the home page', async () => {
    const page = renderPage('pages/home/index', { openid: newLearner() });
    await page.settle();
    const share = (page.component.instance.onShareAppMessage as () => { title: string; path: string })();
    expect(share).toEqual({ title: expect.stringContaining('知识学堂'), path: '/pages/home/index' });
  });
});
