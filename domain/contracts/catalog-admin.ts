/**
 * The creator console's catalog editing (staff with `catalog.edit`): courses, their outline and lesson content,
 * publishing, and the lecturers, categories, banners and membership plans around them. The schemas are the
 * console form's validation too, so this file imports nothing that needs Node (types only from the domain).
 */
import type { Audience, Category, Course, CourseForm, CourseStatus, CourseTier, Lecturer, Lesson, LessonType } from '../catalog/model';
import type { Plan } from '../membership/plans';
import { id } from './ids';
import { MAX_PAGE_SIZE, paging } from './paging';
import * as z from './schema';

export const COURSE_STATUSES = ['draft', 'published', 'offline'] as const satisfies readonly CourseStatus[];
export const COURSE_FORMS = ['video', 'audio', 'article', 'live', 'camp'] as const satisfies readonly CourseForm[];
export const COURSE_TIERS = ['entry', 'advanced'] as const satisfies readonly CourseTier[];
export const LESSON_TYPES = ['video', 'audio', 'article', 'live'] as const satisfies readonly LessonType[];
export const AUDIENCES = ['office', 'exam', 'hobby'] as const satisfies readonly Audience[];
// Fail to compile when the model gains a value these lists miss.
const _complete: [
  Exclude<CourseStatus, (typeof COURSE_STATUSES)[number]>,
  Exclude<CourseForm, (typeof COURSE_FORMS)[number]>,
  Exclude<CourseTier, (typeof COURSE_TIERS)[number]>,
  Exclude<LessonType, (typeof LESSON_TYPES)[number]>,
  Exclude<Audience, (typeof AUDIENCES)[number]>,
] extends [never, never, never, never, never]
  ? true
  : false = true;
void _complete;

/** At most this many lessons in one course: the outline is saved in one transaction. */
export const MAX_LESSONS = 200;
/** The longest article the editor may store (characters of HTML). */
export const MAX_ARTICLE_CHARS = 100_000;

/** The date a form gives: a Date, or an ISO 8601 string with its offset (what JSON carries). */
export const dateField = (what: string) =>
  z.pipe(
    z.union([z.date(), z.iso.datetime({ offset: true, error: `${what}格式不正确` })], `${what}格式不正确`),
    z.transform((v) => new Date(v)),
  );
/** Money in fen: whole, not negative, at most 1,000,000 CNY. */
export const fen = (what: string) => z.int(`${what}应为整数（分）`).check(z.gte(0, `${what}不能为负数`), z.lte(100_000_000, `${what}过高`));
export const text = (what: string, max: number, min = 1) =>
  z.string(`请填写${what}`).check(z.trim(), ...(min ? [z.minLength(min, `请填写${what}`)] : []), z.maxLength(max, `${what}最多 ${max} 个字`));
/** An object's message when it is missing altogether (other issues keep theirs, e.g. an unknown field). */
const required = (message: string) => ({ error: (issue: { code: string }) => (issue.code === 'invalid_type' ? message : undefined) });
/** A document the form picks (a category, a lecturer...). */
const ref = (what: string) => z.pipe(z.string(`请选择${what}`), id);
const file = (what: string) => z.string(`请上传${what}`).check(z.maxLength(512), z.regex(/^cloud:\/\/[^/\s]+\/\S+$/, `${what}文件编号格式不正确`));

// ----- courses -----

/** `listAdminCourses`: courses of every status (or one), matching a keyword, most recently edited first. */
export const listAdminCoursesRequest = z.strictObject({
  status: z.optional(z.enum(COURSE_STATUSES, '课程状态不存在')),
  keyword: z.optional(text('关键词', 30)),
  /** these courses only: a picker naming the courses a saved form holds, whatever page they are on */
  ids: z.optional(z.array(id).check(z.maxLength(MAX_PAGE_SIZE, `一次最多查询 ${MAX_PAGE_SIZE} 门课程`))),
  ...paging,
});
export type ListAdminCoursesRequest = z.input<typeof listAdminCoursesRequest>;
export interface AdminCourseRow {
  id: string;
  title: string;
  cover: string;
  status: CourseStatus;
  form: CourseForm;
  tier: CourseTier;
  /** fen */
  price: number;
  lessonCount: number;
  /** sold, less refunds (course.stats.sales) */
  sales: number;
  ratingCount: number;
  updatedAt: Date;
}
export interface ListAdminCoursesResponse {
  courses: AdminCourseRow[];
  page: number;
  hasMore: boolean;
}

/** A stored document as the console edits it: `id` for `_id`. */
export type AdminCourse = Omit<Course, '_id'> & { id: string };
export type AdminLesson = Omit<Lesson, '_id'> & { id: string };

/** `getAdminCourse`: a course of any status, whole, with its lessons' content in outline order. */
export const getAdminCourseRequest = z.strictObject({ courseId: id });
export type GetAdminCourseRequest = z.input<typeof getAdminCourseRequest>;
export interface GetAdminCourseResponse {
  course: AdminCourse;
  lessons: AdminLesson[];
}

export const priceModel = z
  .strictObject(
    {
      amount: fen('售价'),
      originalAmount: z.optional(fen('划线价')),
      includedInMembership: z._default(z.boolean('请选择是否会员免费学'), false),
      memberAmount: z.optional(fen('会员价')),
      upgrade: z.optional(z.strictObject({ fromCourseId: ref('升级前的入门课'), amount: fen('升级价') })),
      groupBuy: z.optional(
        z.strictObject({
          amount: fen('拼团价'),
          size: z.int('成团人数应为整数').check(z.gte(2, '成团人数为 2 到 10 人'), z.lte(10, '成团人数为 2 到 10 人')),
          hours: z.optional(z.int('成团时限应为整数（小时）').check(z.gte(1, '成团时限为 1 到 168 小时'), z.lte(168, '成团时限为 1 到 168 小时'))),
        }),
      ),
    },
    required('请设置价格'),
  )
  .check(
    z.refine((p) => p.originalAmount === undefined || p.originalAmount > p.amount, { message: '划线价应高于售价', path: ['originalAmount'] }),
    z.refine((p) => p.memberAmount === undefined || p.memberAmount < p.amount, { message: '会员价应低于售价', path: ['memberAmount'] }),
    z.refine((p) => !(p.memberAmount !== undefined && p.includedInMembership), { message: '会员免费学的课程不需要会员价', path: ['memberAmount'] }),
    z.refine((p) => !p.upgrade || p.upgrade.amount < p.amount, { message: '升级价应低于售价', path: ['upgrade', 'amount'] }),
    z.refine((p) => !p.groupBuy || p.groupBuy.amount < p.amount, { message: '拼团价应低于售价', path: ['groupBuy', 'amount'] }),
  );

export const refundRule = z.strictObject(
  {
    withinDays: z.int('退款期限应为整数天').check(z.gte(0, '退款期限不能为负数'), z.lte(365, '退款期限最多 365 天')),
    maxProgress: z.number('学习进度上限应为 0 到 1').check(z.gte(0, '学习进度上限应为 0 到 1'), z.lte(1, '学习进度上限应为 0 到 1')),
  },
  required('请设置退款规则'),
);

export const scheduleSession = z.strictObject({
  title: text('日程标题', 40),
  startAt: dateField('开始时间'),
  durationMin: z.int('时长应为整数分钟').check(z.gte(1, '时长至少 1 分钟'), z.lte(24 * 60, '时长最多 24 小时')),
  /** the lessons this session opens: lessons of this course's outline */
  lessonIds: z.optional(z.array(id).check(z.maxLength(50, '一个日程最多开放 50 节课'))),
  task: z.optional(text('打卡任务', 200)),
});

export const schedule = z
  .strictObject(
    {
      startAt: dateField('开营时间'),
      endAt: dateField('结营时间'),
      sessions: z.array(scheduleSession, '请填写日程').check(z.maxLength(100, '最多 100 个日程')),
    },
    required('请填写日程'),
  )
  .check(z.refine((s) => s.endAt.getTime() >= s.startAt.getTime(), { message: '结营时间不能早于开营时间', path: ['endAt'] }));

/**
 * `saveCourse`: creates a course (no `courseId`: a new draft with an empty outline) or replaces an existing
 * one's information; the outline is `saveOutline`'s, the status `setCourseStatus`'s.
 */
export const saveCourseRequest = z
  .strictObject({
    courseId: z.optional(id),
    title: text('课程标题', 40),
    subtitle: z._default(text('副标题', 80, 0), ''),
    /** may wait until publishing */
    cover: z.optional(file('封面')),
    categoryId: ref('分类'),
    lecturerId: ref('讲师'),
    form: z.enum(COURSE_FORMS, '课程形式不存在'),
    tier: z._default(z.enum(COURSE_TIERS, '课程层级不存在'), 'entry'),
    price: priceModel,
    refundRule,
    schedule: z.optional(schedule),
    featured: z._default(z.boolean('请选择是否推荐'), false),
  })
  .check(
    z.refine((c) => c.form !== 'camp' || !!c.schedule?.sessions.length, { message: '训练营请填写日程', path: ['schedule'] }),
    z.refine((c) => !c.courseId || c.price.upgrade?.fromCourseId !== c.courseId, { message: '升级价的入门课不能是本课程', path: ['price', 'upgrade', 'fromCourseId'] }),
  );
export type SaveCourseRequest = z.input<typeof saveCourseRequest>;
export interface SaveCourseResponse {
  course: AdminCourse;
  /** false: created now */
  existed: boolean;
}

// ----- outline and lesson content -----

const mediaQuality = z.strictObject({
  id: z.string().check(z.regex(/^[a-z0-9-]{1,16}$/, '清晰度编号为 1 到 16 位小写字母、数字或 -')),
  label: text('清晰度名称', 10),
  fileId: file('视频'),
});

export const lessonMedia = z
  .strictObject({
    fileId: file('音视频'),
    /** best first (高清, 标清), the default `fileId` among them */
    qualities: z.optional(z.array(mediaQuality).check(z.maxLength(4, '最多 4 种清晰度'))),
  })
  .check(
    z.refine((m) => !m.qualities?.length || m.qualities.some((q) => q.fileId === m.fileId), { message: '默认播放的文件应是清晰度之一', path: ['qualities'] }),
    z.refine((m) => new Set(m.qualities?.map((q) => q.id)).size === (m.qualities?.length ?? 0), { message: '清晰度编号不能重复', path: ['qualities'] }),
  );

export const liveStream = z.strictObject({
  finderUserName: z.string('请填写视频号 ID').check(z.trim(), z.regex(/^sph[A-Za-z0-9_-]{1,60}$/, '视频号 ID 以 sph 开头')),
  feedId: z.optional(z.string().check(z.trim(), z.minLength(1, '请填写直播 feedId'), z.maxLength(200))),
  replay: z.optional(lessonMedia),
});

export const assignment = z
  .strictObject({
    prompt: text('作业要求', 500),
    dueAt: z.optional(dateField('截止时间')),
    accepts: z.strictObject(
      {
        text: z.boolean('请选择是否接受文字'),
        images: z.int('图片数量为 0 到 9').check(z.gte(0, '图片数量为 0 到 9'), z.lte(9, '图片数量为 0 到 9')),
        audio: z.boolean('请选择是否接受录音'),
      },
      required('请选择作业接受的内容'),
    ),
  })
  .check(z.refine((a) => a.accepts.text || a.accepts.images > 0 || a.accepts.audio, { message: '作业至少接受文字、图片或录音之一', path: ['accepts'] }));

/** A lesson as the outline editor sends it: its place is its position; no `id` = a new lesson. */
export const outlineLessonInput = z
  .strictObject({
    id: z.optional(id),
    title: text('课时标题', 60),
    type: z.enum(LESSON_TYPES, '课时类型不存在'),
    trial: z._default(z.boolean('请选择是否试看'), false),
    /** video and audio: the recording's length; live: the planned length (1 hour unless said) */
    durationSec: z.optional(z.int('时长应为整数秒').check(z.gte(1, '时长至少 1 秒'), z.lte(24 * 3600, '时长最多 24 小时'))),
    media: z.optional(lessonMedia),
    /** article lessons: the editor's HTML, stored as the whitelist keeps it */
    articleHtml: z.optional(z.string().check(z.maxLength(MAX_ARTICLE_CHARS, '文章过长'))),
    /** article lessons: plain text (paragraphs separated by blank lines), for imported lessons */
    article: z.optional(z.string().check(z.maxLength(MAX_ARTICLE_CHARS, '文章过长'))),
    liveAt: z.optional(dateField('直播时间')),
    live: z.optional(liveStream),
    assignment: z.optional(assignment),
  })
  .check(
    z.refine((l) => (l.type !== 'video' && l.type !== 'audio') || !!l.media, { message: '请上传音视频', path: ['media'] }),
    z.refine((l) => (l.type !== 'video' && l.type !== 'audio') || !!l.durationSec, { message: '请填写音视频时长', path: ['durationSec'] }),
    z.refine((l) => l.type === 'video' || l.type === 'audio' || !l.media, { message: '只有视频和音频课时可以上传音视频', path: ['media'] }),
    z.refine((l) => l.type !== 'article' || !!l.articleHtml?.trim() || !!l.article?.trim(), { message: '请填写文章内容', path: ['articleHtml'] }),
    z.refine((l) => l.type === 'article' || (l.articleHtml === undefined && l.article === undefined), { message: '只有图文课时可以填写文章', path: ['articleHtml'] }),
    z.refine((l) => l.type !== 'live' || !!l.liveAt, { message: '请填写直播时间', path: ['liveAt'] }),
    z.refine((l) => l.type === 'live' || (l.liveAt === undefined && l.live === undefined), { message: '只有直播课时可以填写直播信息', path: ['live'] }),
  );

export const chapterInput = z.strictObject({
  title: text('章节标题', 40),
  lessons: z.array(outlineLessonInput, '请添加课时'),
});

/**
 * `saveOutline`: the course's whole outline with every lesson's content, saved at once (all or nothing).
 * The arrays' order is the order; a lesson left out is removed (refused when learners have studied it).
 */
export const saveOutlineRequest = z.strictObject({
  courseId: id,
  chapters: z.array(chapterInput, '请添加章节').check(
    z.maxLength(50, '最多 50 个章节'),
    z.refine((chapters) => chapters.reduce((n, c) => n + c.lessons.length, 0) <= MAX_LESSONS, `一门课最多 ${MAX_LESSONS} 节课`),
    z.refine((chapters) => {
      const ids = chapters.flatMap((c) => c.lessons.flatMap((l) => (l.id ? [l.id] : [])));
      return new Set(ids).size === ids.length;
    }, '课时编号不能重复'),
  ),
});
export type SaveOutlineRequest = z.input<typeof saveOutlineRequest>;
export type OutlineLessonInput = z.output<typeof outlineLessonInput>;
export interface SaveOutlineResponse {
  course: AdminCourse;
  lessons: AdminLesson[];
  /** lessons written (new or changed) and removed */
  written: number;
  removed: number;
}

/** `setCourseStatus`: publish (learners see it at once), take offline, or back to draft. */
export const setCourseStatusRequest = z.strictObject({
  courseId: id,
  status: z.enum(COURSE_STATUSES, '课程状态不存在'),
});
export type SetCourseStatusRequest = z.input<typeof setCourseStatusRequest>;
export interface SetCourseStatusResponse {
  course: AdminCourse;
}

// ----- lecturers, categories, banners, plans -----

export type LecturerView = Omit<Lecturer, '_id'> & { id: string };
export type CategoryView = Omit<Category, '_id'> & { id: string };
export interface BannerView {
  id: string;
  image: string;
  courseId: string;
  order: number;
}
export type AdminPlanView = Omit<Plan, '_id'> & { id: string };

/** `listCatalogSettings`: every lecturer, category, banner and plan (of any status), each in the school's order. */
export const listCatalogSettingsRequest = z.strictObject({});
export type ListCatalogSettingsRequest = z.input<typeof listCatalogSettingsRequest>;
export interface ListCatalogSettingsResponse {
  lecturers: LecturerView[];
  categories: CategoryView[];
  banners: BannerView[];
  plans: AdminPlanView[];
}

const position = z.int('排序应为整数').check(z.gte(0, '排序不能为负数'), z.lte(10_000, '排序最大 10000'));

/** `saveLecturer`: creates (no `lecturerId`) or replaces a lecturer; their courses' lecturer cards follow. */
export const saveLecturerRequest = z.strictObject({
  lecturerId: z.optional(id),
  name: text('讲师姓名', 20),
  title: text('头衔', 40),
  bio: text('简介', 500),
  avatar: file('头像'),
});
export type SaveLecturerRequest = z.input<typeof saveLecturerRequest>;
export interface SaveLecturerResponse {
  lecturer: LecturerView;
  existed: boolean;
  /** courses whose lecturer card was refreshed */
  courses: number;
}

export const saveCategoryRequest = z.strictObject({
  categoryId: z.optional(id),
  name: text('分类名称', 10),
  audience: z.enum(AUDIENCES, '适合人群不存在'),
  order: position,
});
export type SaveCategoryRequest = z.input<typeof saveCategoryRequest>;
export interface SaveCategoryResponse {
  category: CategoryView;
  existed: boolean;
}

export const saveBannerRequest = z.strictObject({
  bannerId: z.optional(id),
  image: file('横幅图片'),
  /** the course it opens */
  courseId: ref('横幅打开的课程'),
  order: position,
});
export type SaveBannerRequest = z.input<typeof saveBannerRequest>;
export interface SaveBannerResponse {
  banner: BannerView;
  existed: boolean;
}

export const savePlanRequest = z
  .strictObject({
    planId: z.optional(id),
    title: text('方案名称', 20),
    subtitle: z._default(text('副标题', 60, 0), ''),
    amount: fen('售价').check(z.gte(1, '会员方案售价至少 1 分')),
    originalAmount: z.optional(fen('划线价')),
    durationDays: z.int('会员天数应为整数').check(z.gte(1, '会员天数至少 1 天'), z.lte(3650, '会员天数最多 3650 天')),
    status: z.enum(['published', 'offline'], '方案状态不存在'),
    order: position,
  })
  .check(z.refine((p) => p.originalAmount === undefined || p.originalAmount > p.amount, { message: '划线价应高于售价', path: ['originalAmount'] }));
export type SavePlanRequest = z.input<typeof savePlanRequest>;
export interface SavePlanResponse {
  plan: AdminPlanView;
  existed: boolean;
}

/** What `deleteCatalogEntry` deletes: the four kinds the console lists beside the courses. */
export const CATALOG_ENTRY_KINDS = ['banner', 'category', 'lecturer', 'plan'] as const;
export type CatalogEntryKind = (typeof CATALOG_ENTRY_KINDS)[number];

/**
 * `deleteCatalogEntry`: deletes a banner, or a category, lecturer or plan nothing uses any more (a course, an
 * order): those are refused with what still uses them.
 */
export const deleteCatalogEntryRequest = z.strictObject({
  kind: z.enum(CATALOG_ENTRY_KINDS, '要删除的内容类型不存在'),
  id,
});
export type DeleteCatalogEntryRequest = z.input<typeof deleteCatalogEntryRequest>;
export interface DeleteCatalogEntryResponse {
  kind: CatalogEntryKind;
  id: string;
}
