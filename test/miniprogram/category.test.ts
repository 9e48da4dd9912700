import { newLearner, renderPage, unreachableGatewayUrl } from '../support/miniprogram';

const titles = (page: ReturnType<typeof renderPage>) =>
  [...page.component.dom.querySelectorAll('[class~="course-card--course-card__title"]')].map((title) => title.textContent);

describe('category page', () => {
  it('lists every course, most popular first, and pages on scroll', async () => {
    const page = renderPage('pages/category/index', { openid: newLearner() });
    expect(page.exists('.category__skeleton')).toBe(true);
    await page.settle();

    expect(page.text('.category__side')).toBe('全部Excel 与数据PPT 与汇报职场沟通考研雅思留学公考摄影书法乐器');
    expect(titles(page)).toHaveLength(10);
    expect(titles(page)[0]).toBe('Excel 零基础到高效办公');
    expect(page.text('.category__courses')).not.toContain('没有更多了');

    page.reachBottom();
    await page.settle();

    expect(titles(page)).toHaveLength(14);
    expect(page.text('.category__courses')).toMatch(/没有更多了$/);
    expect(page.cloud.calls.map((c) => [c.name, c.data])).toEqual([
      ['getHome', {}],
      ['listCourses', { sort: 'popular', page: 1 }],
      ['listCourses', { sort: 'popular', page: 2 }],
    ]);
  });

  it('lists the photography courses after selecting 摄影, and sorts them by price', async () => {
    const page = renderPage('pages/category/index', { openid: newLearner() });
    await page.settle();

    page.tap('.category__side-item--cat-photo');
    await page.settle();
    expect(titles(page)).toEqual(['手机摄影入门', '人像摄影用光进阶']);

    page.tap('.category__sort--price');
    await page.settle();
    expect(titles(page)).toEqual(['手机摄影入门', '人像摄影用光进阶']);
    page.tap('.category__sort--price');
    await page.settle();
    expect(titles(page)).toEqual(['人像摄影用光进阶', '手机摄影入门']);
    expect(page.cloud.calls.slice(-3).map((c) => c.data)).toEqual([
      { categoryId: 'cat-photo', sort: 'popular', page: 1 },
      { categoryId: 'cat-photo', sort: 'price_asc', page: 1 },
      { categoryId: 'cat-photo', sort: 'price_desc', page: 1 },
    ]);
  });

  it("opens on the category chosen from home's shortcuts", async () => {
    const openid = newLearner();
    const home = renderPage('pages/home/index', { openid });
    await home.settle();
    home.tap('.home__category--cat-calligraphy');
    await home.settle();
    home.unload();

    const page = renderPage('pages/category/index', { openid });
    await page.settle();
    expect(titles(page)).toEqual(['硬笔书法 21 天练字营', '毛笔书法：楷书入门']);
  });

  it('reloads on pull-to-refresh, and retries after a network failure', async () => {
    const page = renderPage('pages/category/index', { openid: newLearner(), gatewayUrl: await unreachableGatewayUrl() });
    await page.settle();
    expect(page.text('.category__error')).toContain('网络不稳定，请稍后重试');

    page.cloud.gatewayUrl = process.env.EMULATOR_URL!;
    page.tap('.category__retry');
    await page.settle();
    expect(titles(page)).toHaveLength(10);

    page.pullDownRefresh();
    await page.settle();
    expect(page.wxCalls('stopPullDownRefresh')).toHaveLength(1);
    expect(page.cloud.calls.map((c) => c.name)).toEqual(['getHome', 'getHome', 'listCourses', 'listCourses']);
  });
});
