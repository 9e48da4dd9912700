import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newLearner, renderPage } from '../support/miniprogram';
import { Preview } from '../preview/preview';

/**
 * `npm run preview` (test/preview/pages.preview.ts) in small: two pages through the same code, screenshotted
 * in Chromium, as a developer without WeChat DevTools would look at them.
 */
describe('the preview of the pages', () => {
  const dir = mkdtempSync(join(tmpdir(), 'zhishi-preview-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('shows a course page and the home page as styled by their WXSS and TDesign, at 375 px wide', async () => {
    const preview = new Preview(dir);
    const detail = renderPage('packages/course/detail/index', { openid: newLearner(), query: { id: 'excel-basics' } });
    await preview.shoot(detail, 'packages/course/detail/index', 'not bought', ['.main--detail__price', '.main--detail__buy', '.main--detail__trial']);
    // The lecturer's picture loaded (the built-in image fired load): TDesign's t-image dropped its loading mask.
    expect(detail.text('.detail__lecturer')).toContain('王思远');
    expect(detail.component.dom.querySelector('[class*="detail__lecturer"] [class*="t-image--loading"]')).toBeNull();
    expect(detail.component.dom.querySelector('[class*="detail__lecturer"] wx-image > div')).not.toBeNull();
    await preview.shoot(renderPage('pages/home/index', { openid: newLearner() }), 'pages/home/index', 'a new learner', ['.main--home__banner']);

    const [course, home] = preview.take();
    for (const shot of [course!, home!]) {
      // 375 px at device scale 2, several screens of a styled page.
      expect(statSync(join(dir, shot.png)).size).toBeGreaterThan(50_000);
      expect(readFileSync(join(dir, shot.png)).readUInt32BE(16)).toBe(750);
    }
    const index = readFileSync(join(dir, 'index.html'), 'utf8');
    expect(index).toContain('packages/course/detail/index');
    expect(index).toContain(`src="${course!.png}"`);
    expect(index).toContain(`src="${home!.png}"`);

    // The page's WXSS: the price in red at 48rpx (24 px at 375 px wide).
    expect(course!.measured['.main--detail__price']).toMatchObject({ color: 'rgb(227, 77, 89)', fontSize: '24px' });
    // The page's classes on TDesign's buttons reached them: buy (flex 2) wider than the trial (flex 1).
    const buy = course!.measured['.main--detail__buy']!;
    const trial = course!.measured['.main--detail__trial']!;
    expect(buy.width).toBeGreaterThan(trial.width * 1.3);
    // The banner fills the swiper, inside the page's margins.
    expect(home!.measured['.main--home__banner']!.width).toBeGreaterThan(300);
    expect(existsSync(join(dir, course!.png.replace(/\.png$/, '.html')))).toBe(true);
  });
});
