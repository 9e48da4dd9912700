/**
 * What the creator console edits around the courses: lecturers, categories, home banners and membership
 * plans. Each save creates (no id) or replaces one document, and each delete removes one, audited in its
 * transaction; what the home page shows (categories, banners, the lecturer's name on a card) rebuilds the
 * home snapshot after the commit.
 */
import { readIfExists, type Database, type Transaction } from '../../server/database';
import type {
  CatalogEntryKind,
  deleteCatalogEntryRequest,
  DeleteCatalogEntryResponse,
  ListCatalogSettingsResponse,
  saveBannerRequest,
  SaveBannerResponse,
  saveCategoryRequest,
  SaveCategoryResponse,
  saveLecturerRequest,
  SaveLecturerResponse,
  savePlanRequest,
  SavePlanResponse,
} from '../contracts/catalog-admin';
import type * as z from '../contracts/schema';
import type { AuditTarget } from '../contracts/staff';
import { DomainError } from '../errors';
import { PLANS, type Plan } from '../membership/plans';
import { ORDERS } from '../orders/model';
import { recordAudit, type StaffRef } from '../staff/audit';
import { LECTURERS, newId, withId, withoutId } from './admin';
import { COURSES, searchTextOf } from './courses';
import { BANNERS, CATEGORIES, rebuildHome } from './home';
import type { Banner, Category, Course, Lecturer } from './model';

/** Lists the console shows whole: a school has a few dozen of each at most. */
const MAX_ITEMS = 200;

/** Every lecturer, category, banner and plan (any status), in the school's order: four requests at once. */
export async function listCatalogSettings(db: Database): Promise<ListCatalogSettingsResponse> {
  const [lecturers, categories, banners, plans] = await Promise.all([
    db.collection<Lecturer>(LECTURERS).orderBy('name', 'asc').limit(MAX_ITEMS).get(),
    db.collection<Category>(CATEGORIES).orderBy('order', 'asc').limit(MAX_ITEMS).get(),
    db.collection<Banner>(BANNERS).orderBy('order', 'asc').limit(MAX_ITEMS).get(),
    db.collection<Plan>(PLANS).orderBy('order', 'asc').limit(MAX_ITEMS).get(),
  ]);
  return {
    lecturers: lecturers.data.map(withId),
    categories: categories.data.map(withId),
    banners: banners.data.map(withId),
    plans: plans.data.map(withId),
  };
}

interface SaveSpec<T> {
  collection: string;
  kind: AuditTarget['kind'];
  /** absent: create with a new id */
  id: string | undefined;
  /** how the item is named in messages and the audit: 讲师, 分类... */
  noun: string;
  /** the item's name in the audit summary */
  label: string;
  data: T;
  /** more writes in the same transaction (a lecturer's courses) */
  also?: (tx: Transaction, id: string) => Promise<void>;
}

/** Creates or replaces one document, audited in the same transaction. */
async function saveOne<T extends Record<string, unknown>>(db: Database, by: StaffRef, spec: SaveSpec<T>, now: Date): Promise<{ id: string; existed: boolean }> {
  const id = spec.id ?? newId(spec.kind);
  return db.runTransaction(async (tx) => {
    const stored = spec.id ? await readIfExists<T>(tx, spec.collection, id) : null;
    if (spec.id && !stored) throw new DomainError('NOT_FOUND', `${spec.noun}不存在`);
    await tx.collection<T>(spec.collection).doc(id).set({ data: spec.data });
    await spec.also?.(tx, id);
    await recordAudit(
      tx,
      by,
      {
        action: 'catalog.edit',
        target: { kind: spec.kind, id },
        summary: `${stored ? '修改' : '添加'}${spec.noun}「${spec.label}」`,
        ...(stored ? { before: withoutId(stored) } : {}),
        after: spec.data,
      },
      now,
    );
    return { id, existed: stored !== null };
  });
}

/**
 * Creates or replaces a lecturer. Courses carry a copy of their lecturer's card (and the name in `searchText`),
 * refreshed here in the same transaction: the courses are found first (a transaction runs no query), then each
 * is read again inside it.
 */
export async function saveLecturer(db: Database, by: StaffRef, req: z.output<typeof saveLecturerRequest>, now: Date): Promise<SaveLecturerResponse> {
  const { lecturerId, ...data } = req;
  const courses = lecturerId
    ? (await db.collection<Course>(COURSES).where({ 'lecturer._id': lecturerId }).field({ _id: true }).limit(1000).get()).data
    : [];
  let published = false;
  const saved = await saveOne(
    db,
    by,
    {
      collection: LECTURERS,
      kind: 'lecturer',
      id: lecturerId,
      noun: '讲师',
      label: data.name,
      data,
      also: async (tx, id) => {
        for (const { _id } of courses) {
          const course = await readIfExists<Omit<Course, '_id'>>(tx, COURSES, _id);
          if (course?.lecturer._id !== id) continue;
          const lecturer = { _id: id, name: data.name, title: data.title, avatar: data.avatar };
          await tx.collection<Omit<Course, '_id'>>(COURSES).doc(_id).set({ data: { ...withoutId(course), lecturer, searchText: searchTextOf({ ...course, lecturer }) } });
          published ||= course.status === 'published';
        }
      },
    },
    now,
  );
  if (published) await rebuildHome(db, now);
  return { lecturer: { id: saved.id, ...data }, existed: saved.existed, courses: courses.length };
}

export async function saveCategory(db: Database, by: StaffRef, req: z.output<typeof saveCategoryRequest>, now: Date): Promise<SaveCategoryResponse> {
  const { categoryId, ...data } = req;
  const saved = await saveOne(db, by, { collection: CATEGORIES, kind: 'category', id: categoryId, noun: '分类', label: data.name, data }, now);
  await rebuildHome(db, now);
  return { category: { id: saved.id, ...data }, existed: saved.existed };
}

/** A banner opens a course: it must exist (a draft may get its banner before it is published). */
export async function saveBanner(db: Database, by: StaffRef, req: z.output<typeof saveBannerRequest>, now: Date): Promise<SaveBannerResponse> {
  const { bannerId, ...data } = req;
  const course = (await db.collection<Course>(COURSES).where({ _id: data.courseId }).field({ title: true }).get()).data[0];
  if (!course) throw new DomainError('NOT_FOUND', '横幅打开的课程不存在');
  const saved = await saveOne(db, by, { collection: BANNERS, kind: 'banner', id: bannerId, noun: '横幅', label: course.title, data }, now);
  await rebuildHome(db, now);
  return { banner: { id: saved.id, ...data }, existed: saved.existed };
}

/** Membership plans: `listPlans` and `createOrder` read them directly, so nothing is rebuilt. */
export async function savePlan(db: Database, by: StaffRef, req: z.output<typeof savePlanRequest>, now: Date): Promise<SavePlanResponse> {
  const { planId, ...data } = req;
  const saved = await saveOne(db, by, { collection: PLANS, kind: 'plan', id: planId, noun: '会员方案', label: data.title, data }, now);
  return { plan: { id: saved.id, ...data }, existed: saved.existed };
}

interface DeleteSpec {
  collection: string;
  noun: string;
  /** the item's name in the audit summary (a banner is named by the course it opens) */
  label: (tx: Transaction, stored: Record<string, unknown>) => Promise<string>;
  /** what still uses the item: the refusal's message, or nothing when it may go */
  inUse?: (db: Database, id: string) => Promise<string | undefined>;
  /** the home snapshot shows this kind */
  onHome: boolean;
}

const coursesWhere = async (db: Database, where: Record<string, unknown>) => (await db.collection<Course>(COURSES).where(where).count()).total;

const DELETABLE: Record<CatalogEntryKind, DeleteSpec> = {
  banner: {
    collection: BANNERS,
    noun: '横幅',
    label: async (tx, stored) => (await readIfExists<Course>(tx, COURSES, String(stored.courseId)))?.title ?? String(stored.courseId),
    onHome: true,
  },
  // Courses of every status count: a draft or an offline course keeps its category and lecturer for when it is published again.
  category: {
    collection: CATEGORIES,
    noun: '分类',
    label: async (_, stored) => String(stored.name),
    inUse: async (db, id) => {
      const courses = await coursesWhere(db, { categoryId: id });
      return courses ? `该分类下还有 ${courses} 门课程，请先把课程移到其他分类` : undefined;
    },
    onHome: true,
  },
  lecturer: {
    collection: LECTURERS,
    noun: '讲师',
    label: async (_, stored) => String(stored.name),
    inUse: async (db, id) => {
      const courses = await coursesWhere(db, { 'lecturer._id': id });
      return courses ? `该讲师名下还有 ${courses} 门课程，请先为这些课程更换讲师` : undefined;
    },
    onHome: false,
  },
  // Orders name their plan for good (the order list, refunds, the membership they granted): a plan once ordered stays.
  plan: {
    collection: PLANS,
    noun: '会员方案',
    label: async (_, stored) => String(stored.title),
    inUse: async (db, id) => {
      const orders = (await db.collection(ORDERS).where({ 'item.planId': id }).count()).total;
      return orders ? `该会员方案已有 ${orders} 笔订单，不能删除；不再售卖请把状态改为停售` : undefined;
    },
    onHome: false,
  },
};

/**
 * Deletes a banner, category, lecturer or plan, audited in the same transaction. What still uses it is counted
 * first (a transaction runs no query); the transaction then reads the item and removes it.
 */
export async function deleteCatalogEntry(db: Database, by: StaffRef, req: z.output<typeof deleteCatalogEntryRequest>, now: Date): Promise<DeleteCatalogEntryResponse> {
  const spec = DELETABLE[req.kind];
  const refusal = await spec.inUse?.(db, req.id);
  await db.runTransaction(async (tx) => {
    const stored = await readIfExists<Record<string, unknown>>(tx, spec.collection, req.id);
    if (!stored) throw new DomainError('NOT_FOUND', `${spec.noun}不存在，可能已被删除`);
    if (refusal) throw new DomainError('CONFLICT', refusal);
    await tx.collection(spec.collection).doc(req.id).remove();
    await recordAudit(
      tx,
      by,
      { action: 'catalog.edit', target: { kind: req.kind, id: req.id }, summary: `删除${spec.noun}「${await spec.label(tx, stored)}」`, before: withoutId(stored), after: {} },
      now,
    );
  });
  if (spec.onHome) await rebuildHome(db, now);
  return { kind: req.kind, id: req.id };
}
