import { browserForFile, screenshot, signIn } from '../support/browser';
import { ok } from '../support/commerce';
import { uniqueName } from '../support/sdk';

/**
 * Every main screen of the console, as each role sees it: the menu their roles allow, the screens they may
 * open, and the ones they are turned away from.
 */
const browser = browserForFile();

const menuOf = async (page: Awaited<ReturnType<typeof signIn>>) => (await page.locator('.app-aside .t-menu__item').allInnerTexts()).map((t) => t.trim());

describe('the console, screen by screen', () => {
  it('shows the owner every screen, starting on the dashboard', async () => {
    // A learner's check-in in a free course, for 打卡管理 to show.
    await ok(uniqueName('o-screens'), 'checkIn', { courseId: 'gongkao-intro', text: '今天完成了 30 道数量关系' });
    const page = await signIn(browser(), 'owner');
    expect(page.url()).toMatch(/#\/dashboard$/);
    await page.locator('[data-test="figures"]').waitFor();
    await screenshot(page, 'dashboard');
    expect(await menuOf(page)).toEqual(['数据概览', '课程管理', '讲师·分类·推荐位', '订单', '退款审核', '优惠券', '拼团', '分销设置', '推广员', '提现审核', '学员', '作业批改', '打卡管理', '举报处理', '评价管理', '员工与角色', '操作日志']);
    for (const [path, name] of [
      ['/courses', 'courses'],
      ['/catalog-settings', 'catalog-settings'],
      ['/orders', 'orders'],
      ['/refunds', 'refunds'],
      ['/learners', 'learners'],
      ['/homework', 'homework'],
      ['/checkins', 'checkins'],
      ['/reports', 'reports'],
      ['/reviews', 'reviews'],
      ['/staff', 'staff'],
      ['/audit', 'audit'],
    ] as const) {
      await page.goto(page.url().replace(/#.*$/, `#${path}`));
      await page.locator('.t-table, .t-empty, .t-card').first().waitFor();
      // The demo school's reviews and the check-in above, each with its button to hide it.
      if (name === 'reviews' || name === 'checkins') await page.locator(`[data-test="${name.slice(0, -1)}-table"] [data-test="hide"]`).first().waitFor();
      await screenshot(page, name);
    }
  });

  it('shows an editor the catalog and turns them away from refunds', async () => {
    const page = await signIn(browser(), 'editor');
    expect(await menuOf(page)).toEqual(['数据概览', '课程管理', '讲师·分类·推荐位', '优惠券', '分销设置', '推广员']);
    await page.goto(page.url().replace(/#.*$/, '#/refunds'));
    await page.locator('.t-empty__title', { hasText: '无权访问' }).waitFor();
    await screenshot(page, 'forbidden-editor-refunds');
  });

  it('shows support orders and refunds and turns them away from the catalog', async () => {
    const page = await signIn(browser(), 'support');
    expect(await menuOf(page)).toEqual(['数据概览', '订单', '退款审核', '拼团', '学员', '举报处理', '评价管理']);
    await page.goto(page.url().replace(/#.*$/, '#/courses/new'));
    await page.locator('.t-empty__title', { hasText: '无权访问' }).waitFor();
  });

  it('lands a teacher on the learners, the first screen they may open, beside homework and check-ins', async () => {
    const page = await signIn(browser(), 'teacher');
    expect(page.url()).toMatch(/#\/learners$/);
    expect(await menuOf(page)).toEqual(['学员', '作业批改', '打卡管理']);
  });

  it('says why a sign-in failed', async () => {
    const context = await browser().newContext();
    const page = await context.newPage();
    await page.goto(`${process.env.EMULATOR_URL}/console/#/login`);
    await page.getByPlaceholder('用户名').fill('owner');
    await page.getByPlaceholder('密码').fill('wrong');
    await page.locator('[data-test="sign-in"]').click();
    await expectText(page.locator('[data-test="login-error"]'), '账号或密码错误');
    await screenshot(page, 'login-failed');
  });
});

async function expectText(locator: import('playwright-core').Locator, text: string) {
  await locator.waitFor();
  expect(await locator.innerText()).toContain(text);
}
