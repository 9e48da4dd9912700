import type { Page } from 'playwright-core';
import type { HomeView } from '../../domain/contracts/catalog';
import type { ListCatalogSettingsResponse, SaveBannerResponse, SaveCategoryResponse, SaveCourseResponse } from '../../domain/contracts/catalog-admin';
import { browserForFile, go, screenshot, signIn } from '../support/browser';
import { ok } from '../support/commerce';
import { ownEmulatorForFile } from '../support/own-emulator';
import { uniqueName } from '../support/sdk';
import { staffOk } from '../support/staff';

/**
 * Deleting from 讲师·分类·推荐位 in real Chromium, against an emulator of its own: what it adds and removes
 * (a banner, a category) would show on the home page other files check at the same moment.
 */
ownEmulatorForFile('catalog-delete');
const FILE = (name: string) => `cloud://local-env.6c6f-local-env-1300000000/demo/${name}`;

const browser = browserForFile();

const toast = (page: Page, text: string) => page.locator('.t-message', { hasText: text }).first().waitFor();
const settings = async () => (await staffOk<ListCatalogSettingsResponse>('editor', 'listCatalogSettings')).data;

describe('an editor deletes from 讲师·分类·推荐位', () => {
  it('deletes a banner, which leaves the home page, and is told why a category still used stays', async () => {
    const banner = (await staffOk<SaveBannerResponse>('editor', 'saveBanner', { image: FILE('banner-camps.jpg'), courseId: 'photo-phone', order: 90 })).data.banner;
    const category = (await staffOk<SaveCategoryResponse>('editor', 'saveCategory', { name: '待删分类', audience: 'hobby', order: 90 })).data.category;
    const courseInfo = {
      title: '分类删除测试课',
      categoryId: category.id,
      lecturerId: 'lec-zhao',
      form: 'video',
      price: { amount: 990 },
      refundRule: { withinDays: 7, maxProgress: 0.3 },
    };
    const course = (await staffOk<SaveCourseResponse>('editor', 'saveCourse', courseInfo)).data.course;

    const page = await signIn(browser(), 'editor');
    await go(page, '/catalog-settings');
    await page.locator('.t-tabs__nav-item', { hasText: '首页推荐位' }).click();
    await page.locator(`[data-test="delete-${banner.id}"]`).click();
    // The confirmation names the banner by the course it opens.
    await page.locator('.t-popconfirm', { hasText: '确定删除首页推荐位「手机摄影入门」？' }).waitFor();
    await screenshot(page, 'catalog-delete-banner-confirm');
    await page.locator('.t-popconfirm').getByRole('button', { name: '确定' }).click();
    await toast(page, '已删除首页推荐位「手机摄影入门」');
    await page.locator(`[data-test="delete-${banner.id}"]`).waitFor({ state: 'detached' });
    expect((await settings()).banners.map((b) => b.id)).not.toContain(banner.id);
    const home = (await ok<HomeView>(uniqueName('o-console'), 'getHome')).data;
    expect(home.banners).not.toContainEqual({ image: FILE('banner-camps.jpg'), courseId: 'photo-phone' });

    await page.locator('.t-tabs__nav-item', { hasText: '分类' }).click();
    await page.locator(`[data-test="delete-${category.id}"]`).click();
    await page.locator('.t-popconfirm').getByRole('button', { name: '确定' }).click();
    await toast(page, '该分类下还有 1 门课程，请先把课程移到其他分类');
    await screenshot(page, 'catalog-delete-category-refused');
    // Refused: the category is still listed.
    await page.locator(`[data-test="delete-${category.id}"]`).waitFor();
    expect((await settings()).categories.map((c) => c.id)).toContain(category.id);

    // Its course moved elsewhere, the category goes.
    await staffOk<SaveCourseResponse>('editor', 'saveCourse', { ...courseInfo, courseId: course.id, categoryId: 'cat-excel' });
    await page.locator(`[data-test="delete-${category.id}"]`).click();
    await page.locator('.t-popconfirm').getByRole('button', { name: '确定' }).click();
    await toast(page, '已删除分类「待删分类」');
    expect((await settings()).categories.map((c) => c.id)).not.toContain(category.id);
  }, 60_000);
});
