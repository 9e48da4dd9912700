import type {
  DeleteCatalogEntryRequest,
  DeleteCatalogEntryResponse,
  ListCatalogSettingsResponse,
  SaveCategoryResponse,
  SaveCourseResponse,
  SaveLecturerResponse,
  SavePlanResponse,
} from '../../domain/contracts/catalog-admin';
import type { HomeView } from '../../domain/contracts/catalog';
import type { ListPlansResponse } from '../../domain/contracts/membership';
import type { ListAuditResponse } from '../../domain/contracts/staff';
import { buy, ok, placeOrder } from '../support/commerce';
import { ownEmulatorForFile } from '../support/own-emulator';
import { uniqueName } from '../support/sdk';
import { callAsStaff, staffOk, uidOf, type StaffAccount } from '../support/staff';

/**
 * Deleting a banner, category, lecturer or membership plan from the console (`deleteCatalogEntry`), called as
 * the demo staff through the web SDK's requests, and what learners then see. Its own emulator: it deletes demo
 * banners and buys a demo plan, which other files rely on.
 */
ownEmulatorForFile('catalog-delete');

const FILE = (name: string) => `cloud://local-env.6c6f-local-env-1300000000/demo/${name}`;

const remove = (req: DeleteCatalogEntryRequest, account: StaffAccount = 'editor') => callAsStaff<DeleteCatalogEntryResponse>(account, 'deleteCatalogEntry', req);
const settings = async () => (await staffOk<ListCatalogSettingsResponse>('editor', 'listCatalogSettings')).data;
const home = async () => (await ok<HomeView>(uniqueName('o-delete'), 'getHome')).data;
const lastAudit = async (targetId: string) => (await staffOk<ListAuditResponse>('owner', 'listAudit', { targetId })).data.entries[0];

describe('deleting a banner', () => {
  it('takes it off the home page at once, audited with what it was', async () => {
    expect((await home()).banners.map((b) => b.courseId)).toContain('pen-camp');
    const { reply } = await remove({ kind: 'banner', id: 'banner-2' });
    expect(reply).toEqual({ ok: true, data: { kind: 'banner', id: 'banner-2' } });

    expect((await home()).banners.map((b) => b.courseId)).toEqual(['excel-advanced', 'guitar']);
    expect((await settings()).banners.map((b) => b.id)).not.toContain('banner-2');
    expect(await lastAudit('banner-2')).toMatchObject({
      by: { uid: uidOf('editor') },
      action: 'catalog.edit',
      target: { kind: 'banner', id: 'banner-2' },
      summary: expect.stringMatching(/^删除横幅「.+」$/),
      before: { courseId: 'pen-camp', order: 2 },
      after: {},
    });

    // Gone: a second delete finds nothing.
    expect((await remove({ kind: 'banner', id: 'banner-2' })).reply).toEqual({ ok: false, code: 'NOT_FOUND', message: '横幅不存在，可能已被删除' });
  });
});

describe('deleting a category', () => {
  it('is refused while any course, a draft included, uses it, and once none does it leaves the category list', async () => {
    expect((await remove({ kind: 'category', id: 'cat-photo' })).reply).toEqual({ ok: false, code: 'CONFLICT', message: '该分类下还有 2 门课程，请先把课程移到其他分类' });

    const category = (await staffOk<SaveCategoryResponse>('editor', 'saveCategory', { name: '理财', audience: 'hobby', order: 20 })).data.category;
    expect((await home()).categories.map((c) => c.id)).toContain(category.id);
    const info = {
      title: '基金定投入门',
      cover: FILE('cover-talk-meeting.jpg'),
      categoryId: category.id,
      lecturerId: 'lec-wang',
      form: 'video',
      price: { amount: 990 },
      refundRule: { withinDays: 7, maxProgress: 0.3 },
    };
    const draft = (await staffOk<SaveCourseResponse>('editor', 'saveCourse', info)).data.course;
    expect(draft.status).toBe('draft');
    expect((await remove({ kind: 'category', id: category.id })).reply).toEqual({ ok: false, code: 'CONFLICT', message: '该分类下还有 1 门课程，请先把课程移到其他分类' });
    expect((await home()).categories.map((c) => c.id)).toContain(category.id);

    await staffOk('editor', 'saveCourse', { ...info, courseId: draft.id, categoryId: 'cat-excel' });
    expect((await remove({ kind: 'category', id: category.id })).reply.ok).toBe(true);
    expect((await home()).categories.map((c) => c.id)).not.toContain(category.id);
    expect((await settings()).categories.map((c) => c.id)).not.toContain(category.id);
    expect(await lastAudit(category.id)).toMatchObject({ summary: '删除分类「理财」', before: { name: '理财', audience: 'hobby', order: 20 } });
  });
});

describe('deleting a lecturer', () => {
  it('is refused while a course names them, and deletes one without courses', async () => {
    expect((await remove({ kind: 'lecturer', id: 'lec-zhou' })).reply).toEqual({ ok: false, code: 'CONFLICT', message: '该讲师名下还有 2 门课程，请先为这些课程更换讲师' });
    expect((await settings()).lecturers.map((l) => l.id)).toContain('lec-zhou');

    const lecturer = (await staffOk<SaveLecturerResponse>('editor', 'saveLecturer', { name: '孙老师', title: '理财规划师', bio: '十年银行理财经验。', avatar: FILE('avatar-wang.jpg') })).data.lecturer;
    expect((await remove({ kind: 'lecturer', id: lecturer.id }, 'owner')).reply.ok).toBe(true);
    expect((await settings()).lecturers.map((l) => l.id)).not.toContain(lecturer.id);
    expect(await lastAudit(lecturer.id)).toMatchObject({ by: { uid: uidOf('owner') }, summary: '删除讲师「孙老师」', before: { name: '孙老师' } });
  });
});

describe('deleting a membership plan', () => {
  it('is refused once a learner bought it (stop selling it instead), and deletes one never ordered', async () => {
    const learner = uniqueName('o-delete');
    await ok(learner, 'login');
    await buy(learner, { planId: 'plan-quarter' });
    expect((await remove({ kind: 'plan', id: 'plan-quarter' })).reply).toEqual({ ok: false, code: 'CONFLICT', message: '该会员方案已有 1 笔订单，不能删除；不再售卖请把状态改为停售' });

    const plan = { title: '月度会员', subtitle: '', amount: 1990, durationDays: 30, status: 'published', order: 3 };
    const ordered = (await staffOk<SavePlanResponse>('editor', 'savePlan', plan)).data.plan;
    // An order not paid yet may still be paid: it keeps the plan too.
    await placeOrder(learner, { planId: ordered.id });
    expect((await remove({ kind: 'plan', id: ordered.id })).reply).toMatchObject({ ok: false, code: 'CONFLICT' });

    const unsold = (await staffOk<SavePlanResponse>('editor', 'savePlan', { ...plan, title: '体验会员', order: 4 })).data.plan;
    expect((await ok<ListPlansResponse>(learner, 'listPlans')).data.plans.map((p) => p.id)).toContain(unsold.id);
    expect((await remove({ kind: 'plan', id: unsold.id })).reply.ok).toBe(true);
    expect((await ok<ListPlansResponse>(learner, 'listPlans')).data.plans.map((p) => p.id)).not.toContain(unsold.id);
    expect(await lastAudit(unsold.id)).toMatchObject({ target: { kind: 'plan', id: unsold.id }, summary: '删除会员方案「体验会员」' });
  });
});

describe('what deleteCatalogEntry refuses', () => {
  it('answers NOT_FOUND for an id that names nothing, whatever the kind', async () => {
    expect((await remove({ kind: 'category', id: 'cat-none' })).reply).toEqual({ ok: false, code: 'NOT_FOUND', message: '分类不存在，可能已被删除' });
    expect((await remove({ kind: 'lecturer', id: 'lec-none' })).reply).toEqual({ ok: false, code: 'NOT_FOUND', message: '讲师不存在，可能已被删除' });
    expect((await remove({ kind: 'plan', id: 'plan-none' })).reply).toEqual({ ok: false, code: 'NOT_FOUND', message: '会员方案不存在，可能已被删除' });
  });

  it('lets only roles that may edit the catalog delete, and changes nothing for the others', async () => {
    for (const account of ['teacher', 'support'] as const) {
      expect((await remove({ kind: 'banner', id: 'banner-3' }, account)).reply).toEqual({ ok: false, code: 'FORBIDDEN', message: '无权操作' });
    }
    expect((await settings()).banners.map((b) => b.id)).toContain('banner-3');
    expect((await home()).banners.map((b) => b.courseId)).toContain('guitar');
  });

  it('refuses a kind it does not delete', async () => {
    const { reply } = await callAsStaff('editor', 'deleteCatalogEntry', { kind: 'course', id: 'excel-basics' });
    expect(reply).toMatchObject({ ok: false, code: 'INVALID_INPUT', message: expect.stringContaining('要删除的内容类型不存在') });
  });
});
