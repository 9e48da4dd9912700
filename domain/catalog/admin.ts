/**
 * Courses as the creator console edits them (staff with `catalog.edit`): the list of every status, one
 * course whole with its lessons, its information, and its status. The outline is domain/catalog/outline.ts.
 * Every change is audited in its own transaction; a change learners can see rebuilds the home snapshot at
 * once, so `getHome` shows it without waiting for the timer.
 */
import { randomBytes } from 'node:crypto';
import { pageOf, readIfExists, type Database } from '../../server/database';
import type {
  AdminCourseRow,
  GetAdminCourseResponse,
  ListAdminCoursesResponse,
  listAdminCoursesRequest,
  saveCourseRequest,
  SaveCourseResponse,
  SetCourseStatusResponse,
  setCourseStatusRequest,
} from '../contracts/catalog-admin';
import { MAX_LESSONS } from '../contracts/catalog-admin';
import type * as z from '../contracts/schema';
import { DomainError } from '../errors';
import { recordAudit, type StaffRef } from '../staff/audit';
import { COURSES, escapeRegExp, searchTextOf } from './courses';
import { CATEGORIES, rebuildHome } from './home';
import { LESSONS } from './lessons';
import type { Category, Chapter, Course, CourseStatus, Lecturer, Lesson } from './model';

export const LECTURERS = 'lecturers';

/** A new document's id: random, in the alphabet request ids accept. */
export const newId = (prefix: string) => `${prefix}-${randomBytes(9).toString('base64url')}`;

/** A stored document as the console sees it: `id` for `_id`. */
export const withId = <T extends { _id: string }>({ _id, ...rest }: T): Omit<T, '_id'> & { id: string } => ({ id: _id, ...rest });

/** A stored document without its `_id`: what `set` writes back. */
export const withoutId = <T extends { _id: string }>({ _id, ...rest }: T): Omit<T, '_id'> => rest;

/** The lesson ids of an outline, in order. */
export const outlineIds = (outline: Chapter[]) => outline.flatMap((chapter) => chapter.lessons.map((l) => l.id));

const ROW_FIELDS = { title: true, cover: true, status: true, form: true, tier: true, price: true, lessonCount: true, stats: true, updatedAt: true } as const;
type RowSource = Pick<Course, '_id' | 'title' | 'cover' | 'status' | 'form' | 'tier' | 'price' | 'lessonCount' | 'stats' | 'updatedAt'>;

const toRow = (c: RowSource): AdminCourseRow => ({
  id: c._id,
  title: c.title,
  cover: c.cover,
  status: c.status,
  form: c.form,
  tier: c.tier,
  price: c.price.amount,
  lessonCount: c.lessonCount,
  sales: c.stats.sales,
  ratingCount: c.stats.ratingCount,
  updatedAt: c.updatedAt,
});

/** Courses of every status (or the one asked for), most recently edited first, one page in one request. */
export async function listAdminCourses(db: Database, req: z.output<typeof listAdminCoursesRequest>): Promise<ListAdminCoursesResponse> {
  const where: Record<string, unknown> = {};
  if (req.status) where.status = req.status;
  if (req.keyword) where.searchText = db.RegExp({ regexp: escapeRegExp(req.keyword.toLowerCase()), options: '' });
  if (req.ids) where._id = db.command.in(req.ids);
  const { items, page, hasMore } = await pageOf(
    db
      .collection<Course>(COURSES)
      .where(where)
      .orderBy('updatedAt', 'desc')
      .orderBy('_id', 'asc')
      .field(ROW_FIELDS),
    req,
  );
  return { courses: items.map(toRow), page, hasMore };
}

/** The course's lessons in outline order (a lesson document the outline no longer lists is left out). */
export function inOutlineOrder(outline: Chapter[], lessons: Lesson[]): Lesson[] {
  const byId = new Map(lessons.map((l) => [l._id, l]));
  return outlineIds(outline).flatMap((id) => byId.get(id) ?? []);
}

/** A course of any status, whole, with its lessons' content: two requests at once. */
export async function getAdminCourse(db: Database, courseId: string): Promise<GetAdminCourseResponse> {
  const [courses, lessons] = await Promise.all([
    db.collection<Course>(COURSES).where({ _id: courseId }).get(),
    db.collection<Lesson>(LESSONS).where({ courseId }).orderBy('order', 'asc').limit(MAX_LESSONS).get(),
  ]);
  const course = courses.data[0];
  if (!course) throw new DomainError('NOT_FOUND', '课程不存在');
  return { course: withId(course), lessons: inOutlineOrder(course.outline, lessons.data).map(withId) };
}

/** What `saveCourse` sets and the audit shows: the course's information, not its outline, status or counters. */
function infoOf(c: Omit<Course, '_id'>) {
  const { title, subtitle, cover, categoryId, lecturer, form, tier, price, refundRule, schedule, featured } = c;
  return { title, subtitle, cover, categoryId, lecturerId: lecturer._id, form, tier, price, refundRule, ...(schedule ? { schedule } : {}), featured };
}

/** A new course: a draft with an empty outline and no sales yet. */
const NEW_COURSE: Pick<Course, 'status' | 'outline' | 'lessonCount' | 'durationSec' | 'stats' | 'schedule'> = {
  status: 'draft',
  outline: [],
  lessonCount: 0,
  durationSec: 0,
  stats: { sales: 0, ratingSum: 0, ratingCount: 0 },
};

/** Whether learners may see a course in this state: then the home snapshot follows its changes. */
const shown = (status: CourseStatus | undefined) => status === 'published';

/**
 * Creates a course (a draft with an empty outline) or replaces an existing one's information, keeping what is
 * derived from it (the lecturer's card, `searchText`) consistent. The category, the lecturer and an upgrade's
 * entry course must exist; a camp session may open only lessons of the outline.
 *
 * Requests: the category, lecturer and entry course at once; a transaction: begin, the course, its write, the
 * audit entry, commit; the home snapshot when the course is published.
 */
export async function saveCourse(db: Database, by: StaffRef, req: z.output<typeof saveCourseRequest>, now: Date): Promise<SaveCourseResponse> {
  const upgradeFrom = req.price.upgrade?.fromCourseId;
  const [categories, lecturers, entries] = await Promise.all([
    db.collection<Category>(CATEGORIES).where({ _id: req.categoryId }).field({ _id: true }).get(),
    db.collection<Lecturer>(LECTURERS).where({ _id: req.lecturerId }).get(),
    upgradeFrom ? db.collection<Course>(COURSES).where({ _id: upgradeFrom }).field({ _id: true }).get() : Promise.resolve({ data: [{}] }),
  ]);
  if (!categories.data.length) throw new DomainError('NOT_FOUND', '分类不存在');
  const lecturer = lecturers.data[0];
  if (!lecturer) throw new DomainError('NOT_FOUND', '讲师不存在');
  if (!entries.data.length) throw new DomainError('NOT_FOUND', '升级价的入门课不存在');

  const courseId = req.courseId ?? newId('course');
  const result = await db.runTransaction(async (tx) => {
    const stored = req.courseId ? await readIfExists<Omit<Course, '_id'>>(tx, COURSES, courseId) : null;
    if (req.courseId && !stored) throw new DomainError('NOT_FOUND', '课程不存在');
    const previous = stored && withoutId(stored);
    const lessonIds = new Set(outlineIds(previous?.outline ?? []));
    if (req.schedule?.sessions.some((s) => s.lessonIds?.some((id) => !lessonIds.has(id)))) {
      throw new DomainError('INVALID_INPUT', '日程开放的课时不在课程大纲中，请先保存大纲');
    }
    const { title, subtitle, categoryId, form, tier, price, refundRule, schedule, featured } = req;
    const info = {
      title,
      subtitle,
      cover: req.cover ?? '',
      categoryId,
      lecturer: { _id: lecturer._id, name: lecturer.name, title: lecturer.title, avatar: lecturer.avatar },
      form,
      tier,
      price,
      refundRule,
      featured,
    };
    // What the information does not set: the outline, status and counters, kept (a schedule left out is removed).
    const { schedule: _replaced, ...kept } = previous ?? NEW_COURSE;
    const next: Omit<Course, '_id'> = { ...kept, ...info, ...(schedule ? { schedule } : {}), searchText: searchTextOf(info), updatedAt: now };
    await tx.collection<Omit<Course, '_id'>>(COURSES).doc(courseId).set({ data: next });
    await recordAudit(
      tx,
      by,
      {
        action: 'catalog.edit',
        target: { kind: 'course', id: courseId },
        summary: previous ? `修改课程「${title}」` : `创建课程「${title}」`,
        ...(previous ? { before: infoOf(previous) } : {}),
        after: infoOf(next),
      },
      now,
    );
    return { course: next, existed: previous !== null };
  });
  if (shown(result.course.status)) await rebuildHome(db, now);
  return { course: withId({ _id: courseId, ...result.course }), existed: result.existed };
}

/** Why a course may not be published yet, if it may not. */
function notPublishable(c: Omit<Course, '_id'>): string | undefined {
  if (!c.title?.trim()) return '请先填写课程标题';
  if (!c.cover) return '请先上传课程封面';
  if (!c.price || !Number.isInteger(c.price.amount)) return '请先设置课程价格';
  if (!outlineIds(c.outline ?? []).length) return '请先在大纲中添加至少一节课';
  if (c.form === 'camp' && !c.schedule?.sessions.length) return '训练营请先填写日程';
  return undefined;
}

const statusSummary = (status: CourseStatus, title: string) => (status === 'draft' ? `课程「${title}」改回草稿` : `${status === 'published' ? '发布' : '下架'}课程「${title}」`);

/**
 * Publishes a course (refused until it has a title, cover, price and at least one lesson), takes it offline or
 * back to draft; `publishedAt` is the first publication. Learners see the change at once: `getCourse` reads the
 * course, and the home snapshot is rebuilt after the commit.
 */
export async function setCourseStatus(db: Database, by: StaffRef, req: z.output<typeof setCourseStatusRequest>, now: Date): Promise<SetCourseStatusResponse> {
  const { course, changed } = await db.runTransaction(async (tx) => {
    const stored = await readIfExists<Omit<Course, '_id'>>(tx, COURSES, req.courseId);
    if (!stored) throw new DomainError('NOT_FOUND', '课程不存在');
    const before = withoutId(stored);
    if (before.status === req.status) return { course: before, changed: false };
    if (req.status === 'published') {
      const why = notPublishable(before);
      if (why) throw new DomainError('CONFLICT', `暂不能发布：${why}`);
    }
    const next: Omit<Course, '_id'> = {
      ...before,
      status: req.status,
      ...(req.status === 'published' && !before.publishedAt ? { publishedAt: now } : {}),
      updatedAt: now,
    };
    await tx.collection<Omit<Course, '_id'>>(COURSES).doc(req.courseId).set({ data: next });
    await recordAudit(
      tx,
      by,
      {
        action: 'catalog.edit',
        target: { kind: 'course', id: req.courseId },
        summary: statusSummary(req.status, before.title),
        before: { status: before.status },
        after: { status: req.status },
      },
      now,
    );
    return { course: next, changed: shown(before.status) || shown(req.status) };
  });
  if (changed) await rebuildHome(db, now);
  return { course: withId({ _id: req.courseId, ...course }) };
}
