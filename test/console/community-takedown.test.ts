import type { WriteReviewResponse } from '../../domain/contracts/catalog';
import { browserForFile, signIn } from '../support/browser';
import { buy, ok } from '../support/commerce';
import { uniqueName } from '../support/sdk';
import { staffOk } from '../support/staff';

/** 评价管理 in real Chromium: a review staff hid says who hid it, since the learner's rewrites keep it hidden. */
const browser = browserForFile();

it('shows who hid a review and that the learner’s rewrite stays hidden', async () => {
  const author = uniqueName('o-console-takedown');
  await buy(author, { courseId: 'talk-meeting' });
  const content = `案例有点旧了 ${author.slice(-6)}`;
  const { id } = (await ok<WriteReviewResponse>(author, 'writeReview', { courseId: 'talk-meeting', rating: 3, content })).data.review;
  await staffOk('support', 'moderateReview', { id, decision: 'hide' });

  const page = await signIn(browser(), 'support');
  await page.goto(page.url().replace(/#.*$/, '#/reviews'));
  // The shown list's first page must be in before switching: its answer, arriving later, would replace the hidden one.
  await page.locator('[data-test="hide"]').first().waitFor();
  await page.locator('.toolbar .t-radio-button', { hasText: '已隐藏' }).click();
  const row = page.locator('[data-test="review-table"] tr', { hasText: content });
  await row.waitFor({ timeout: 5000 });
  await expect(row.locator('[data-test="hidden-tag"]').innerText({ timeout: 5000 })).resolves.toMatch(/^管理员于 \d{4}-\d{2}-\d{2} \d{2}:\d{2} 隐藏，学员修改后仍不公开$/);
  await page.context().close();
});
