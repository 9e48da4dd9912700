import { newLearner, renderPage, unreachableGatewayUrl } from '../support/miniprogram';

const openSearch = (openid: string, gatewayUrl?: string) => renderPage('packages/course/search/index', { openid, ...(gatewayUrl ? { gatewayUrl } : {}) });

describe('search page', () => {
  it("finds courses by their lecturer's name, and remembers the keyword for the next visit", async () => {
    const openid = newLearner();
    const page = openSearch(openid);
    expect(page.text()).toBe('输入课程名称或讲师姓名，找到想学的课');

    page.type('.search__bar', '周墨');
    await page.settle();

    const results = page.text('.search__results');
    expect(results).toContain('硬笔书法 21 天练字营周墨');
    expect(results).toContain('毛笔书法：楷书入门周墨');
    expect(results).toMatch(/没有更多了$/);
    expect(page.cloud.calls.map((c) => c.data)).toEqual([{ keyword: '周墨', page: 1 }]);
    page.unload();

    const again = openSearch(openid);
    expect(again.text('.search__recent')).toBe('最近搜索周墨');
    again.tap('.search__recent-item');
    await again.settle();
    expect(again.text('.search__results')).toContain('毛笔书法：楷书入门');
  });

  it('says so when nothing matches', async () => {
    const page = openSearch(newLearner());
    page.type('.search__bar', '量子烹饪');
    await page.settle();
    expect(page.text('.search__empty')).toBe('没有找到相关课程，换个关键词试试');
    expect(page.exists('.search__results')).toBe(false);
  });

  it('shows an error with a retry button when the network fails', async () => {
    const page = openSearch(newLearner(), await unreachableGatewayUrl());
    page.type('.search__bar', '周墨');
    await page.settle();
    expect(page.text('.search__error')).toContain('网络不稳定，请稍后重试');

    page.cloud.gatewayUrl = process.env.EMULATOR_URL!;
    page.tap('.search__retry');
    await page.settle();
    expect(page.text('.search__results')).toContain('硬笔书法 21 天练字营');
  });
});
