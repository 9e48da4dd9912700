import { newLearner, renderPage, unreachableGatewayUrl } from '../support/miniprogram';
import { boughtElsewhere } from '../support/pages';

const openLesson = (id: string, options: { gatewayUrl?: string } = {}) =>
  renderPage('packages/course/lesson/index', { openid: newLearner(), query: { id }, ...options });

describe('lesson page', () => {
  it('keeps a paid lesson locked, and leads back to the course', async () => {
    const page = openLesson('excel-basics-05');
    expect(page.exists('.lesson__skeleton')).toBe(true);
    await page.settle();

    expect(page.text('.lesson__locked')).toBe('SUM 与 AVERAGE：从求和开始购买后即可学习本课查看课程');
    expect(page.exists('.lesson__video')).toBe(false);
    page.tap('.lesson__to-course');
    await page.settle();
    expect(page.wxCalls('redirectTo')).toEqual([{ url: '/packages/course/detail/index?id=excel-basics' }]);
  });

  it('plays a trial video lesson from a short-lived URL of the lesson video', async () => {
    const page = openLesson('excel-basics-01');
    await page.settle();

    // test/functions/catalog.test.ts checks that such a URL serves the video and refuses a forged one.
    expect(page.exists('.lesson__video')).toBe(true);
    expect(String(page.data.mediaUrl)).toMatch(/\/demo\/lesson-office\.mp4\?sign=[\w-]+&t=\d+$/);
  });

  it('shows a trial article lesson to anyone', async () => {
    const page = openLesson('talk-meeting-01');
    await page.settle();

    expect(page.text('.lesson__header')).toBe('老板的三个关注点图文免费试看');
    expect(page.text('.lesson__article')).toMatch(/^老板的三个关注点，是很多人在职场中反复遇到/);
    expect(page.component.dom.querySelectorAll('[class~="main--lesson__paragraph"]')).toHaveLength(3);
    expect(page.text('.lesson__trial-end')).toContain('购买课程即可解锁全部内容');
  });

  it('renders an editor-written article from whitelisted nodes, with the creator’s highlights in 本课重点', async () => {
    const me = newLearner();
    await boughtElsewhere(me, { courseId: 'talk-meeting' });
    const page = renderPage('packages/course/lesson/index', { openid: me, query: { id: 'talk-meeting-02' } });
    await page.settle();

    expect(page.text('.lesson__highlights')).toBe('本课重点汇报的成败在开口之前就决定了先说结论，再说理由，最后说你需要的支持。');
    const nodes = JSON.stringify(page.data.articleNodes);
    expect(nodes).toContain('"name":"mark"');
    // The picture comes as a short-lived URL, never as the storage file ID.
    expect(nodes).toMatch(/"name":"img","attrs":\{"class":"article-img","src":"http:\/\/127\.0\.0\.1:\d+\/[^"]*cover-talk-meeting\.jpg\?sign=/);
    expect(nodes).not.toContain('cloud://');
    expect(page.exists('.lesson__paragraph')).toBe(false);
  });

  it('retries after a network failure', async () => {
    const page = openLesson('excel-basics-05', { gatewayUrl: await unreachableGatewayUrl() });
    await page.settle();
    expect(page.text('.lesson__error')).toContain('网络不稳定，请稍后重试');
    page.cloud.gatewayUrl = process.env.EMULATOR_URL!;
    page.tap('.lesson__retry');
    await page.settle();
    expect(page.text('.lesson__locked')).toContain('购买后即可学习本课');
  });
});
