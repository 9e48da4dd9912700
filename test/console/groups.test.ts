import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import type { GetAdminCourseResponse } from '../../domain/contracts/catalog-admin';
import type { CreateOrderResponse } from '../../domain/contracts/orders';
import { browserForFile, chooseCourse, go, screenshot, settle, signIn } from '../support/browser';
import { ok, pay } from '../support/commerce';
import { ownEmulatorForFile } from '../support/own-emulator';
import { uniqueName } from '../support/sdk';
import { staffOk } from '../support/staff';

/**
 * Group-buy in the creator console (issue 12), in real Chromium: a leader opens a group and pays through the
 * real flow, support finds it under 拼团 and opens the leader's order; the owner sees the screen, an editor
 * (no orders.read) does not, and sets a course's group window in the course editor. Its own emulator: the
 * groups opened here would show on other files' course pages.
 */
ownEmulatorForFile('console-groups');

/** 3 人拼团价 ¥6.9 (demo data). */
const COURSE = 'excel-basics';

const browser = browserForFile();

const menuOf = async (page: Page) => {
  await page.locator('.app-aside .t-menu__item').first().waitFor();
  return (await page.locator('.app-aside .t-menu__item').allInnerTexts()).map((t) => t.trim());
};
const toast = (page: Page, text: string) => page.locator('.t-message', { hasText: text }).first().waitFor();

/** A learner with a nickname opens a group and pays: the group is open with their seat. */
async function openGroup() {
  const leader = uniqueName('o-console-group');
  const nickname = `团长${leader.slice(-4)}`;
  await ok(leader, 'login');
  await ok(leader, 'updateProfile', { nickname });
  const { data } = await ok<CreateOrderResponse>(leader, 'createOrder', { courseId: COURSE, startGroup: true, clientRequestKey: randomUUID() });
  await pay(data.order.id);
  return { nickname, orderId: data.order.id, groupId: data.order.group!.id };
}

describe('group-buy in the console', () => {
  it('lets support find an open group by its status and open a member’s order', async () => {
    const { nickname, orderId, groupId } = await openGroup();
    const page = await signIn(browser(), 'support');
    expect(await menuOf(page)).toContain('拼团');
    expect(await page.locator('.app-aside').innerText()).toContain('营销');
    await go(page, '/groups');
    await page.locator('[data-test="group-table"]').waitFor();

    await page.locator('[data-test="group-status"] .t-radio-button', { hasText: '拼团中' }).click();
    await settle(page);
    const row = page.locator('[data-test="group-table"] tbody tr', { hasText: groupId });
    await row.waitFor();
    expect((await page.locator(`[data-test="seats-${groupId}"]`).innerText()).replace(/\s+/g, '')).toBe('1/3');
    expect(await page.locator(`[data-test="members-${groupId}"]`).innerText()).toContain(nickname);
    await row.getByText('团长', { exact: true }).waitFor();
    expect(await page.locator(`[data-test="status-${groupId}"]`).innerText()).toBe('拼团中');
    await row.getByText('¥6.90').waitFor();

    // Not among the groups that completed.
    const pickStatus = async (text: string) => {
      await page.locator('[data-test="group-status"] .t-radio-button', { hasText: text }).click();
      await settle(page);
    };
    await pickStatus('拼团成功');
    expect(await page.locator('[data-test="group-table"]').innerText()).not.toContain(groupId);
    await pickStatus('拼团中');

    // Of its course, and not of another.
    const pickCourse = async (title: string) => {
      await chooseCourse(page, 'group-course', title);
      await settle(page);
    };
    await pickCourse('Excel 零基础到高效办公');
    await row.waitFor();
    await screenshot(page, 'groups');
    await pickCourse('Excel 数据透视与函数进阶');
    expect(await page.locator('[data-test="group-table"]').innerText()).not.toContain(groupId);

    // Every group again (the filters start empty), and the leader's order from its row.
    await page.reload();
    await settle(page);
    await page.locator(`[data-test="order-${orderId}"]`).click();
    await page.waitForURL(new RegExp(`#/orders/${orderId}$`));
    await page.locator('.t-card__title', { hasText: `订单 ${orderId}` }).waitFor();
    await page.getByText(nickname).first().waitFor();
    await screenshot(page, 'group-order');
  }, 60_000);

  it('shows the owner the screen and keeps it from an editor', async () => {
    const owner = await signIn(browser(), 'owner');
    expect(await menuOf(owner)).toEqual(expect.arrayContaining(['优惠券', '拼团']));
    await go(owner, '/groups');
    await owner.locator('[data-test="group-table"] tbody tr').first().waitFor();

    const editor = await signIn(browser(), 'editor');
    const menu = await menuOf(editor);
    expect(menu).toContain('优惠券');
    expect(menu).not.toContain('拼团');
    await go(editor, '/groups');
    await editor.locator('.t-empty__title', { hasText: '无权访问' }).waitFor();
  });

  it('lets an editor set a course’s group window, refused beside the field when out of range', async () => {
    const page = await signIn(browser(), 'editor');
    await go(page, `/courses/${COURSE}`);
    const hours = page.locator('[data-test="group-hours"] input');
    await hours.waitFor();
    // The demo course says no window: the editor shows the default a day.
    expect(await hours.inputValue()).toBe('24');

    const retype = async (text: string) => {
      await hours.click();
      await hours.press('ControlOrMeta+a');
      await hours.pressSequentially(text);
    };
    await retype('200');
    await page.locator('[data-test="save-course"]').click();
    await page.locator('.t-form__item', { hasText: '成团时限' }).getByText('成团时限为 1 到 168 小时').waitFor();
    await screenshot(page, 'course-group-hours-error');

    await retype('48');
    await page.locator('[data-test="save-course"]').click();
    await toast(page, '已保存');
    const { data } = await staffOk<GetAdminCourseResponse>('editor', 'getAdminCourse', { courseId: COURSE });
    expect(data.course.price.groupBuy).toEqual({ amount: 690, size: 3, hours: 48 });
    await page.reload();
    await hours.waitFor();
    expect(await hours.inputValue()).toBe('48');
  }, 60_000);
});
