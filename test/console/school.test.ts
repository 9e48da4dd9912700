import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import type { CourseDetail, HomeView, LessonView } from '../../domain/contracts/catalog';
import type { GetHomeworkResponse } from '../../domain/contracts/homework';
import type { ListStaffResponse } from '../../domain/contracts/staff';
import { browserForFile, chooseCourse, go, screenshot, signIn } from '../support/browser';
import { buy, completeRefund, ok } from '../support/commerce';
import { ownEmulatorForFile } from '../support/own-emulator';
import { uniqueName } from '../support/sdk';
import { staffOk } from '../support/staff';

/**
 * The creator console's main flows in real Chromium against its own emulator (it publishes a course and
 * refunds an order): an editor builds and publishes a course that learners then find, support approves a
 * refund and the learner loses access, a teacher grades homework.
 */
ownEmulatorForFile('console');

const MEDIA = resolve(__dirname, '../../database/demo/media');

const browser = browserForFile();

const input = (page: Page, test: string) => page.locator(`[data-test="${test}"] input, [data-test="${test}"] textarea`).first();
/** A TDesign select: opened, then the option with `label` picked. */
async function choose(page: Page, test: string, label: string) {
  await page.locator(`[data-test="${test}"]`).click();
  await page.locator('.t-select-option', { hasText: label }).first().click();
}
/** The toast a save shows. */
const toast = (page: Page, text: string) => page.locator('.t-message', { hasText: text }).first().waitFor();

describe('an editor builds a course', () => {
  it('creates it with two lessons and an uploaded video, publishes it, and learners find it at once', async () => {
    const page = await signIn(browser(), 'editor');
    await go(page, '/courses');
    await page.locator('[data-test="new-course"]').click();
    await input(page, 'course-title').waitFor();

    // Bad input is refused in the browser, beside the field, before anything is sent.
    await page.locator('[data-test="save-course"]').click();
    await page.locator('.t-form__item', { hasText: '课程标题' }).getByText('请填写课程标题').waitFor();

    await input(page, 'course-title').fill('Excel 数据透视表实战');
    await input(page, 'course-subtitle').fill('三小时做出老板要的报表');
    await choose(page, 'course-category', 'Excel 与数据');
    await choose(page, 'course-lecturer', '王思远');
    await input(page, 'price-amount').fill('99');
    await page.locator('[data-test="save-course"]').click();
    await toast(page, '课程已创建');
    await page.waitForURL(/#\/courses\/(?!new)[^/]+$/);
    const courseId = page.url().split('/').pop()!;

    // The function's refusal is shown as it says it: no cover yet, no lessons.
    await page.locator('[data-test="publish"]').click();
    await page.locator('[data-test="form-error"]', { hasText: '请先上传课程封面' }).waitFor();

    await page.locator('[data-test="upload-cover"]').setInputFiles(join(MEDIA, 'cover-excel-advanced.jpg'));
    await page.locator('.file-upload .t-image').first().waitFor();
    await page.locator('[data-test="save-course"]').click();
    await toast(page, '已保存');
    await screenshot(page, 'course-info');

    await page.locator('.t-tabs__nav-item', { hasText: '大纲与内容' }).click();
    await page.locator('[data-test="add-chapter"]').click();
    await input(page, 'chapter-title').fill('第一章 认识数据透视表');

    // A video lesson: the file uploads with a progress bar and its duration is read from it.
    await page.locator('[data-test="add-lesson"]').click();
    await input(page, 'lesson-title').fill('什么是数据透视表');
    await page.locator('[data-test="lesson-trial"]').click();
    await page.locator('[data-test="upload-media"]').setInputFiles(join(MEDIA, 'lesson-office.mp4'));
    await page.locator('.file-upload .stored').first().waitFor();
    await page.waitForFunction(() => {
      const field = document.querySelector<HTMLInputElement>('[data-test="lesson-duration"] input');
      return !!field && Number(field.value) > 0;
    });
    await screenshot(page, 'lesson-video');
    await page.locator('[data-test="lesson-done"]').click();

    // An article lesson with a highlight.
    await page.locator('[data-test="add-lesson"]').click();
    await input(page, 'lesson-title').fill('透视表的四个区域');
    await page.locator('.t-drawer .t-radio-button', { hasText: '图文' }).click();
    const editor = page.locator('[data-test="article-editor"]');
    await editor.click();
    await page.keyboard.type('行、列、值、筛选四个区域决定了报表的样子。');
    await editor.evaluate((element) => {
      const text = element.querySelector('p')?.firstChild ?? element.firstChild!;
      const range = document.createRange();
      range.setStart(text, 0);
      range.setEnd(text, 9);
      window.getSelection()!.removeAllRanges();
      window.getSelection()!.addRange(range);
    });
    await page.locator('[data-test="highlight"]').click();
    await page.locator('[data-test="lesson-done"]').click();

    // A third lesson without a title: the outline is refused whole, marked where, and nothing is saved.
    await page.locator('[data-test="add-lesson"]').click();
    await page.locator('[data-test="lesson-done"]').click();
    await page.locator('[data-test="save-outline"]').click();
    await page.locator('[data-test="lesson-0-2"] .error', { hasText: '请填写课时标题' }).waitFor();
    await screenshot(page, 'outline-refused');
    await page.locator('[data-test="lesson-0-2"]').getByRole('button', { name: '删除' }).click();

    await page.locator('[data-test="save-outline"]').click();
    await toast(page, '大纲已保存');
    await screenshot(page, 'outline');
    await page.locator('[data-test="publish"]').click();
    await toast(page, '已上架');
    expect(await page.locator('[data-test="course-status"]').innerText()).toBe('已上架');

    // A learner finds it on the home page and in the course page, the video lesson open as a trial.
    const learner = uniqueName('o-console');
    const home = (await ok<HomeView>(learner, 'getHome')).data;
    expect([...home.featured, ...home.newest].map((c) => c.id)).toContain(courseId);
    const detail = (await ok<CourseDetail>(learner, 'getCourse', { courseId })).data;
    expect(detail.course).toMatchObject({ title: 'Excel 数据透视表实战', price: 9900 });
    const lessons = detail.course.outline.flatMap((c) => c.lessons);
    expect(lessons.map((l) => [l.title, l.type, l.trial])).toEqual([
      ['什么是数据透视表', 'video', true],
      ['透视表的四个区域', 'article', false],
    ]);
    expect(lessons[0]!.durationSec).toBeGreaterThan(0);
    const trial = (await ok<LessonView>(learner, 'getLesson', { lessonId: lessons[0]!.id })).data;
    expect(trial.access).toBe('trial');
    expect((await fetch(trial.media!.url)).status).toBe(200);
    expect((await ok<LessonView>(learner, 'getLesson', { lessonId: lessons[1]!.id })).data.access).toBe('locked');

    await go(page, '/courses');
    await page.locator('[data-test="course-table"]', { hasText: 'Excel 数据透视表实战' }).waitFor();
    await screenshot(page, 'courses-after-publish');
  }, 120_000);
});

describe('support reviews a refund', () => {
  it('approves a learner’s request, and once the provider refunds the learner loses access', async () => {
    const learner = uniqueName('o-console');
    await ok(learner, 'login');
    const orderId = await buy(learner, { courseId: 'excel-basics' });
    await ok(learner, 'requestRefund', { orderId, reason: '内容和预期不符' });

    const page = await signIn(browser(), 'support');
    await go(page, '/refunds');
    await page.locator(`[data-test="approve-${orderId}"]`).waitFor();
    await screenshot(page, 'refund-request');
    await page.locator(`[data-test="approve-${orderId}"]`).click();
    await page.locator('.t-popconfirm').getByRole('button', { name: '确定' }).click();
    await toast(page, '已提交退款');

    await completeRefund(orderId);
    const detail = (await ok<CourseDetail>(learner, 'getCourse', { courseId: 'excel-basics' })).data;
    expect(detail.viewer.access).toBeNull();
    const locked = detail.course.outline.flatMap((c) => c.lessons).find((l) => !l.trial)!;
    expect((await ok<LessonView>(learner, 'getLesson', { lessonId: locked.id })).data.access).toBe('locked');

    // The order's detail tells its story; on the learner's page support makes good with a course.
    await go(page, `/orders/${orderId}`);
    await page.locator('.t-timeline-item', { hasText: '已退款' }).waitFor();
    await screenshot(page, 'order-detail');
    await go(page, `/learners/${learner}`);
    await page.locator('[data-test="entitlements"]', { hasText: '已收回' }).waitFor();
    await page.locator('[data-test="grant-course"]').click();
    await chooseCourse(page, 'grant-course-select', '向上管理与会议表达');
    await input(page, 'grant-note').fill('退款后补偿赠送');
    await page.locator('.t-dialog').getByRole('button', { name: '赠送' }).click();
    await toast(page, '已赠送');
    await page.locator('[data-test="entitlements"]', { hasText: '员工赠送：退款后补偿赠送' }).waitFor();
    await screenshot(page, 'learner-detail');
    expect((await ok<CourseDetail>(learner, 'getCourse', { courseId: 'talk-meeting' })).data.viewer.access).toBe('purchased');
  }, 60_000);
});

describe('a teacher grades homework', () => {
  it('scores it with feedback the learner then reads', async () => {
    const learner = uniqueName('o-console');
    const assignmentId = 'gongkao-intro-02';
    const handed = (await ok<{ homework: { id: string } }>(learner, 'submitHomework', { assignmentId, text: '第 1 题选 A，因为前后语义递进' })).data.homework;

    const page = await signIn(browser(), 'teacher');
    await go(page, '/homework');
    const card = page.locator(`[data-test="homework-${handed.id}"]`);
    await card.waitFor();
    await card.locator('[data-test="grade"]').click();
    await card.getByText('请写评语').waitFor();
    await card.locator('[data-test="score"] input').fill('95');
    await card.locator('[data-test="feedback"] textarea').fill('思路清晰，注意审题');
    await screenshot(page, 'homework');
    await card.locator('[data-test="grade"]').click();
    await toast(page, '已批改');

    const mine = (await ok<GetHomeworkResponse>(learner, 'getHomework', { assignmentId })).data.mine!;
    expect(mine).toMatchObject({ status: 'reviewed', review: { score: 95, feedback: '思路清晰，注意审题' } });
  });
});


describe('the owner adds a teacher', () => {
  it('picks the courses they teach, which the staff list counts', async () => {
    const page = await signIn(browser(), 'owner');
    await go(page, '/staff');
    await page.locator('[data-test="add-staff"]').click();
    const dialog = page.locator('.t-dialog');
    await dialog.getByPlaceholder('云开发用户管理中的用户 ID').fill('u-console-teacher');
    await dialog.locator('.t-form__item', { hasText: '姓名' }).locator('input').fill('赵老师');
    // The course picker shows once the member is a teacher.
    await dialog.locator('.t-checkbox', { hasText: '老师' }).click();
    await chooseCourse(page, 'staff-courses', '公务员行测入门');
    await chooseCourse(page, 'staff-courses', '手机摄影入门');
    // A multiple select stays open over the dialog's buttons until the creator clicks elsewhere.
    await dialog.locator('.t-dialog__header').click();
    await dialog.getByRole('button', { name: '保存' }).click();
    await toast(page, '已添加员工');
    await page.locator('tr', { hasText: '赵老师' }).getByText('2 门').waitFor();
    await screenshot(page, 'staff-teacher-courses');
    // The demo teacher's courses are shown by title when their member is edited.
    await page.locator('tr', { hasText: '演示老师' }).getByText('编辑').click();
    await page.locator('[data-test="staff-courses"] .t-tag', { hasText: '考研词汇 30 天打卡营' }).waitFor();
    const { staff } = (await staffOk<ListStaffResponse>('owner', 'listStaff')).data;
    expect(staff.find((m) => m.uid === 'u-console-teacher')).toMatchObject({ roles: ['teacher'], courseIds: ['gongkao-intro', 'photo-phone'] });
  });
});
