import type {
  GetAdminCourseResponse,
  ListAdminCoursesResponse,
  ListCatalogSettingsResponse,
  SaveBannerResponse,
  SaveCategoryRequest,
  SaveCategoryResponse,
  SaveCourseRequest,
  SaveCourseResponse,
  SaveLecturerResponse,
  SaveOutlineRequest,
  SaveOutlineResponse,
  SavePlanResponse,
  SetCourseStatusResponse,
} from '../../domain/contracts/catalog-admin';
import type { CourseDetail, HomeView, LessonView, ListCoursesResponse } from '../../domain/contracts/catalog';
import type { Reply } from '../../domain/contracts/result';
import type { ListAuditResponse } from '../../domain/contracts/staff';
import { ownEmulatorForFile } from '../support/own-emulator';
import { callAs, connectSdk, uniqueName } from '../support/sdk';
import { callAsStaff, staffOk, uidOf } from '../support/staff';

/**
 * The creator console's catalog editing (issue 11), called as the demo staff through the web SDK's requests,
 * and what learners then see through the mini program's functions. Its own emulator: it publishes courses.
 */
ownEmulatorForFile('catalog-admin');

const FILE = (name: string) => `cloud://local-env.6c6f-local-env-1300000000/demo/${name}`;

async function learner<T>(name: string, data: Record<string, unknown> = {}): Promise<Reply<T>> {
  return (await callAs<Reply<T>>(uniqueName('o'), name, data)).body.result!;
}

const courseInfo = (overrides: Partial<SaveCourseRequest> = {}): SaveCourseRequest => ({
  title: '  数据透视表实战 ',
  subtitle: '一小时做出老板要的报表',
  cover: FILE('cover-talk-meeting.jpg'),
  categoryId: 'cat-excel',
  lecturerId: 'lec-wang',
  form: 'video',
  price: { amount: 1990, originalAmount: 3990 },
  refundRule: { withinDays: 7, maxProgress: 0.3 },
  ...overrides,
});

const twoLessons = (ids: [string?, string?] = []): SaveOutlineRequest['chapters'] => [
  {
    title: '第一章 入门',
    lessons: [
      { ...(ids[0] ? { id: ids[0] } : {}), title: '认识透视表', type: 'video', trial: true, durationSec: 300, media: { fileId: FILE('lesson-office.mp4') } },
      {
        ...(ids[1] ? { id: ids[1] } : {}),
        title: '字段布局',
        type: 'article',
        articleHtml: '<h1>字段布局</h1><p onclick="x()">把<mark>行、列、值</mark>放对位置<script>alert(1)</script></p><img src="https://evil.example/x.png">',
        assignment: { prompt: '做一张按月汇总的透视表', accepts: { text: true, images: 3, audio: false } },
      },
    ],
  },
];

async function createCourse(overrides: Partial<SaveCourseRequest> = {}) {
  return (await staffOk<SaveCourseResponse>('editor', 'saveCourse', courseInfo(overrides))).data.course;
}

describe('editing a course', () => {
  it('creates a draft, saves its outline, publishes it for learners at once, and unpublishing takes it away', async () => {
    const course = await createCourse();
    expect(course).toMatchObject({
      title: '数据透视表实战',
      status: 'draft',
      outline: [],
      lessonCount: 0,
      lecturer: { _id: 'lec-wang', name: '王思远' },
      price: { amount: 1990, originalAmount: 3990, includedInMembership: false },
      searchText: '数据透视表实战 一小时做出老板要的报表 王思远',
      stats: { sales: 0, ratingSum: 0, ratingCount: 0 },
    });
    expect(course.id).toMatch(/^course-[A-Za-z0-9_-]+$/);
    expect((await learner('getCourse', { courseId: course.id })).ok).toBe(false);

    const saved = (await staffOk<SaveOutlineResponse>('editor', 'saveOutline', { courseId: course.id, chapters: twoLessons() })).data;
    expect(saved).toMatchObject({ written: 2, removed: 0, course: { lessonCount: 2, durationSec: 300 } });
    const [video, article] = saved.lessons;
    expect(saved.course.outline).toEqual([
      { title: '第一章 入门', lessons: [{ id: video.id, title: '认识透视表', type: 'video', durationSec: 300, trial: true }, { id: article.id, title: '字段布局', type: 'article', durationSec: 0, trial: false }] },
    ]);
    // Stored as the whitelist keeps it: no script, handler or outside image.
    expect(article).toMatchObject({ courseId: course.id, chapterIndex: 0, order: 1, articleHtml: '<h2>字段布局</h2><p>把<mark>行、列、值</mark>放对位置</p>', assignment: { prompt: '做一张按月汇总的透视表' } });

    const admin = (await staffOk<GetAdminCourseResponse>('editor', 'getAdminCourse', { courseId: course.id })).data;
    expect(admin.lessons.map((l) => [l.id, l.order, l.title])).toEqual([
      [video.id, 0, '认识透视表'],
      [article.id, 1, '字段布局'],
    ]);
    expect(admin.lessons[0].media).toEqual({ fileId: FILE('lesson-office.mp4') });

    // Saving the same outline again writes nothing.
    const again = (await staffOk<SaveOutlineResponse>('editor', 'saveOutline', { courseId: course.id, chapters: twoLessons([video.id, article.id]) })).data;
    expect(again).toMatchObject({ written: 0, removed: 0 });

    const published = (await staffOk<SetCourseStatusResponse>('editor', 'setCourseStatus', { courseId: course.id, status: 'published' })).data.course;
    expect(published).toMatchObject({ status: 'published', publishedAt: expect.any(String) });

    const home = await learner<HomeView>('getHome');
    expect(home.ok && home.data.newest[0]).toMatchObject({ id: course.id, title: '数据透视表实战', price: 1990, originalPrice: 3990, lessonCount: 2, lecturerName: '王思远' });
    const detail = await learner<CourseDetail>('getCourse', { courseId: course.id });
    expect(detail.ok && detail.data.course.outline[0].lessons.map((l) => l.title)).toEqual(['认识透视表', '字段布局']);
    const found = await learner<ListCoursesResponse>('listCourses', { keyword: '透视表' });
    expect(found.ok && found.data.courses.map((c) => c.id)).toContain(course.id);
    const trial = await learner<LessonView>('getLesson', { lessonId: video.id });
    expect(trial).toMatchObject({ ok: true, data: { access: 'trial', media: { url: expect.any(String) } } });

    await staffOk('editor', 'setCourseStatus', { courseId: course.id, status: 'offline' });
    const after = await learner<HomeView>('getHome');
    expect(after.ok && [...after.data.newest, ...after.data.featured].map((c) => c.id)).not.toContain(course.id);
    expect(await learner('getCourse', { courseId: course.id })).toMatchObject({ ok: false, code: 'NOT_FOUND' });

    // Every change is in the audit log, by whom.
    const { entries } = (await staffOk<ListAuditResponse>('owner', 'listAudit', { targetId: course.id, pageSize: 20 })).data;
    expect(entries.map((e) => e.summary).reverse()).toEqual([
      '创建课程「数据透视表实战」',
      '保存课程「数据透视表实战」的大纲：共 2 节课，新增 2、修改 0、删除 0',
      '保存课程「数据透视表实战」的大纲：共 2 节课，新增 0、修改 0、删除 0',
      '发布课程「数据透视表实战」',
      '下架课程「数据透视表实战」',
    ]);
    expect(entries[0]).toMatchObject({ by: { uid: uidOf('editor') }, action: 'catalog.edit', target: { kind: 'course', id: course.id }, before: { status: 'published' }, after: { status: 'offline' } });
  });

  it('saves nothing of an outline with an invalid lesson, even a later one', async () => {
    const course = await createCourse({ title: '原子保存' });
    const first = (await staffOk<SaveOutlineResponse>('editor', 'saveOutline', { courseId: course.id, chapters: twoLessons() })).data;
    const ids = first.lessons.map((l) => l.id) as [string, string];
    const snapshot = async () => {
      const db = connectSdk().database();
      const [c, l] = await Promise.all([db.collection('courses').doc(course.id).get(), db.collection('lessons').where({ courseId: course.id }).get()]);
      return { course: c.data, lessons: l.data.sort((a, b) => String(a._id).localeCompare(String(b._id))) };
    };
    const before = await snapshot();

    // A later lesson without a title: refused by the request's check.
    const untitled = twoLessons(ids);
    untitled[0].lessons[0].title = '改了标题';
    untitled[0].lessons.push({ title: '  ', type: 'audio' });
    const refused = (await callAsStaff('editor', 'saveOutline', { courseId: course.id, chapters: untitled })).reply;
    expect(refused).toMatchObject({ ok: false, code: 'INVALID_INPUT', message: expect.stringContaining('chapters.0.lessons.2.title：请填写课时标题') });
    expect(refused.ok || refused.message).toContain('请上传音视频');

    // A later lesson of another course: refused inside the transaction, which then writes nothing.
    const stranger = twoLessons(ids);
    stranger[0].lessons[0].title = '改了标题';
    stranger[0].lessons.push({ id: 'excel-basics-01', title: '别的课', type: 'video', durationSec: 60, media: { fileId: FILE('lesson-office.mp4') } });
    expect((await callAsStaff('editor', 'saveOutline', { courseId: course.id, chapters: stranger })).reply).toEqual({
      ok: false,
      code: 'NOT_FOUND',
      message: '课时「别的课」不在本课程的大纲中，请刷新后重试',
    });

    // An article with nothing a learner would see.
    const empty = twoLessons(ids);
    empty[0].lessons[1].articleHtml = '<script>alert(1)</script><p> </p>';
    expect((await callAsStaff('editor', 'saveOutline', { courseId: course.id, chapters: empty })).reply).toMatchObject({ ok: false, code: 'INVALID_INPUT', message: '课时「字段布局」的文章没有可显示的内容' });

    expect(await snapshot()).toEqual(before);
  });

  it('reorders, moves and removes lessons, and refuses removing one a learner studied', async () => {
    const course = await createCourse({ title: '调整大纲' });
    const [video, article] = (await staffOk<SaveOutlineResponse>('editor', 'saveOutline', { courseId: course.id, chapters: twoLessons() })).data.lessons;
    const [v, a] = twoLessons([video.id, article.id])[0].lessons;

    // Swapped into two chapters, and a third lesson added first.
    const moved = (
      await staffOk<SaveOutlineResponse>('editor', 'saveOutline', {
        courseId: course.id,
        chapters: [
          { title: '第一章', lessons: [{ title: '直播答疑', type: 'live', liveAt: '2030-01-01T20:00:00+08:00', live: { finderUserName: 'sphDemoWang' } }, a] },
          { title: '第二章', lessons: [v] },
        ],
      })
    ).data;
    expect(moved.lessons.map((l) => [l.title, l.chapterIndex, l.order])).toEqual([
      ['直播答疑', 0, 0],
      ['字段布局', 0, 1],
      ['认识透视表', 1, 2],
    ]);
    // The article kept its chapter and position: not rewritten.
    expect(moved).toMatchObject({ written: 2, removed: 0, course: { lessonCount: 3, durationSec: 3900 } });
    expect(moved.lessons[0]).toMatchObject({ liveAt: '2030-01-01T12:00:00.000Z', durationSec: 3600 });

    // A learner's progress keeps the lesson.
    await connectSdk()
      .database()
      .collection('progress')
      .add({ data: { _id: `o-studied:${video.id}`, openid: 'o-studied', lessonId: video.id, courseId: course.id, watchedSec: 30, positionSec: 30, completed: false, updatedAt: new Date() } });
    expect((await callAsStaff('editor', 'saveOutline', { courseId: course.id, chapters: [{ title: '第一章', lessons: [a] }] })).reply).toEqual({
      ok: false,
      code: 'CONFLICT',
      message: '课时「认识透视表」已有学员学习，不能删除',
    });
    const removed = (await staffOk<SaveOutlineResponse>('editor', 'saveOutline', { courseId: course.id, chapters: [{ title: '第一章', lessons: [a] }, { title: '第二章', lessons: [v] }] })).data;
    expect(removed).toMatchObject({ removed: 1, course: { lessonCount: 2 } });
    expect((await connectSdk().database().collection('lessons').where({ courseId: course.id }).get()).data).toHaveLength(2);
  });

  it('refuses to publish an incomplete course, and validates what a course refers to', async () => {
    const bare = await createCourse({ title: '没有封面', cover: undefined });
    expect((await callAsStaff('editor', 'setCourseStatus', { courseId: bare.id, status: 'published' })).reply).toEqual({ ok: false, code: 'CONFLICT', message: '暂不能发布：请先上传课程封面' });
    const empty = await createCourse({ title: '没有课时' });
    expect((await callAsStaff('editor', 'setCourseStatus', { courseId: empty.id, status: 'published' })).reply).toEqual({ ok: false, code: 'CONFLICT', message: '暂不能发布：请先在大纲中添加至少一节课' });

    expect((await callAsStaff('editor', 'saveCourse', courseInfo({ lecturerId: 'lec-nobody' }))).reply).toEqual({ ok: false, code: 'NOT_FOUND', message: '讲师不存在' });
    expect((await callAsStaff('editor', 'saveCourse', courseInfo({ categoryId: 'cat-nothing' }))).reply).toEqual({ ok: false, code: 'NOT_FOUND', message: '分类不存在' });
    expect((await callAsStaff('editor', 'saveCourse', courseInfo({ price: { amount: 1990, originalAmount: 990, groupBuy: { amount: 990, size: 11 } } }))).reply).toMatchObject({
      ok: false,
      code: 'INVALID_INPUT',
      message: expect.stringMatching(/price\.groupBuy\.size：成团人数为 2 到 10 人.*price\.originalAmount：划线价应高于售价/),
    });
    expect((await callAsStaff('editor', 'saveCourse', courseInfo({ form: 'camp' }))).reply).toMatchObject({ ok: false, code: 'INVALID_INPUT', message: expect.stringContaining('训练营请填写日程') });
    expect((await callAsStaff('editor', 'saveCourse', courseInfo({ courseId: 'no-such-course' }))).reply).toEqual({ ok: false, code: 'NOT_FOUND', message: '课程不存在' });

    // An edit of a published course shows on the home page at once.
    const edited = (await staffOk<SaveCourseResponse>('editor', 'saveCourse', courseInfo({ courseId: 'excel-basics', title: 'Excel 零基础（新版）', featured: true }))).data;
    expect(edited).toMatchObject({ existed: true, course: { status: 'published', lessonCount: expect.any(Number), stats: { sales: expect.any(Number) } } });
    const home = await learner<HomeView>('getHome');
    expect(home.ok && home.data.featured.find((c) => c.id === 'excel-basics')?.title).toBe('Excel 零基础（新版）');
  });

  it("keeps a camp's schedule to the lessons of its outline", async () => {
    const day = (n: number) => `2030-03-0${n}T08:00:00+08:00`;
    const schedule = (lessonIds: string[][]) => ({
      startAt: day(1),
      endAt: day(3),
      sessions: lessonIds.map((ids, i) => ({ title: `第 ${i + 1} 天`, startAt: day(i + 1), durationMin: 30, lessonIds: ids, task: '交一张作品' })),
    });
    expect((await callAsStaff('editor', 'saveCourse', courseInfo({ form: 'camp', schedule: schedule([['nothing']]) }))).reply).toEqual({
      ok: false,
      code: 'INVALID_INPUT',
      message: '日程开放的课时不在课程大纲中，请先保存大纲',
    });
    const camp = await createCourse({ title: '七天训练营', form: 'camp', schedule: schedule([[]]) });
    const [first, second] = (await staffOk<SaveOutlineResponse>('editor', 'saveOutline', { courseId: camp.id, chapters: twoLessons() })).data.lessons;
    const saved = (await staffOk<SaveCourseResponse>('editor', 'saveCourse', courseInfo({ courseId: camp.id, title: '七天训练营', form: 'camp', schedule: schedule([[first.id], [second.id]]) }))).data;
    expect(saved.course.schedule!.sessions.map((s) => s.lessonIds)).toEqual([[first.id], [second.id]]);
    expect(saved.course.outline[0].lessons).toHaveLength(2);

    // Dropping a lesson takes it out of its session too.
    const [keep] = twoLessons([first.id, second.id])[0].lessons;
    const after = (await staffOk<SaveOutlineResponse>('editor', 'saveOutline', { courseId: camp.id, chapters: [{ title: '第一天', lessons: [keep] }] })).data;
    expect(after.course.schedule!.sessions.map((s) => s.lessonIds)).toEqual([[first.id], []]);
    expect(after.course.schedule!.startAt).toBe('2030-03-01T00:00:00.000Z');
  });

  it('lists courses of every status for the console', async () => {
    const draft = await createCourse({ title: '列表里的草稿' });
    const all = (await staffOk<ListAdminCoursesResponse>('editor', 'listAdminCourses', { pageSize: 20 })).data;
    expect(all.courses[0]).toMatchObject({ id: draft.id, title: '列表里的草稿', status: 'draft', price: 1990, sales: 0, form: 'video', tier: 'entry' });
    const drafts = (await staffOk<ListAdminCoursesResponse>('editor', 'listAdminCourses', { status: 'draft', keyword: '列表里', pageSize: 20 })).data;
    expect(drafts.courses.map((c) => c.id)).toEqual([draft.id]);
    // A picker names the courses a saved form holds, on whatever page of the list they are.
    const named = (await staffOk<ListAdminCoursesResponse>('editor', 'listAdminCourses', { ids: ['excel-advanced', draft.id, 'no-such-course'], pageSize: 3 })).data;
    expect(named.courses.map((c) => c.title).sort()).toEqual(['Excel 数据透视与函数进阶', '列表里的草稿']);
    const tooMany = await callAsStaff('editor', 'listAdminCourses', { ids: Array.from({ length: 21 }, (_, i) => `c-${i}`) });
    expect(tooMany.reply).toMatchObject({ ok: false, code: 'INVALID_INPUT', message: expect.stringContaining('一次最多查询 20 门课程') });
  });

  it('refuses catalog edits to support staff', async () => {
    for (const [name, data] of [
      ['saveCourse', courseInfo()],
      ['saveOutline', { courseId: 'excel-basics', chapters: [] }],
      ['setCourseStatus', { courseId: 'excel-basics', status: 'offline' }],
      ['saveCategory', { name: '新分类', audience: 'hobby', order: 1 }],
    ] as const) {
      expect((await callAsStaff('support', name, data)).reply).toEqual({ ok: false, code: 'FORBIDDEN', message: '无权操作' });
    }
    const home = await learner<HomeView>('getHome');
    expect(home.ok && home.data.featured.map((c) => c.id)).toContain('excel-basics');
  });
});

describe('lecturers, categories, banners and plans', () => {
  it('creates and edits each, audited; a lecturer edit refreshes their courses, the home page follows', async () => {
    const settings = (await staffOk<ListCatalogSettingsResponse>('editor', 'listCatalogSettings')).data;
    expect(settings.categories.map((c) => c.id).slice(0, 2)).toEqual(['cat-excel', 'cat-ppt']);
    expect(settings.banners).toHaveLength(3);
    expect(settings.plans.map((p) => p.id)).toEqual(expect.arrayContaining(['plan-year', 'plan-quarter']));
    const zhou = settings.lecturers.find((l) => l.id === 'lec-zhou')!;

    const renamed = (await staffOk<SaveLecturerResponse>('editor', 'saveLecturer', { lecturerId: 'lec-zhou', name: '周墨老师', title: zhou.title, bio: zhou.bio, avatar: zhou.avatar })).data;
    expect(renamed).toMatchObject({ existed: true, courses: 2, lecturer: { id: 'lec-zhou', name: '周墨老师' } });
    const byName = await learner<ListCoursesResponse>('listCourses', { keyword: '周墨老师' });
    expect(byName.ok && byName.data.courses.map((c) => c.lecturerName)).toEqual(['周墨老师', '周墨老师']);

    const category: SaveCategoryRequest = { name: '理财', audience: 'hobby', order: 10 };
    const created = (await staffOk<SaveCategoryResponse>('editor', 'saveCategory', category)).data;
    expect(created).toMatchObject({ existed: false, category: { name: '理财', audience: 'hobby', order: 10 } });
    const home = await learner<HomeView>('getHome');
    expect(home.ok && home.data.categories.at(-1)).toEqual({ id: created.category.id, name: '理财', audience: 'hobby' });

    const banner = (await staffOk<SaveBannerResponse>('editor', 'saveBanner', { image: FILE('banner-camps.jpg'), courseId: 'guitar', order: 0 })).data;
    const withBanner = await learner<HomeView>('getHome');
    expect(withBanner.ok && withBanner.data.banners[0]).toEqual({ image: FILE('banner-camps.jpg'), courseId: 'guitar' });
    expect((await callAsStaff('editor', 'saveBanner', { bannerId: banner.banner.id, image: FILE('banner-camps.jpg'), courseId: 'nothing', order: 0 })).reply).toEqual({ ok: false, code: 'NOT_FOUND', message: '横幅打开的课程不存在' });

    const plan = (await staffOk<SavePlanResponse>('editor', 'savePlan', { title: '月度会员', amount: 2500, durationDays: 30, status: 'published', order: 3 })).data;
    expect(plan).toMatchObject({ existed: false, plan: { title: '月度会员', subtitle: '', amount: 2500 } });
    const plans = await learner<{ plans: Array<{ id: string }> }>('listPlans');
    expect(plans.ok && plans.data.plans.map((p) => p.id)).toContain(plan.plan.id);
    expect((await callAsStaff('editor', 'savePlan', { planId: 'plan-none', title: 'x', amount: 100, durationDays: 30, status: 'offline', order: 1 })).reply).toEqual({ ok: false, code: 'NOT_FOUND', message: '会员方案不存在' });

    const audit = (await staffOk<ListAuditResponse>('owner', 'listAudit', { targetId: 'lec-zhou' })).data.entries[0];
    expect(audit).toMatchObject({ action: 'catalog.edit', target: { kind: 'lecturer', id: 'lec-zhou' }, summary: '修改讲师「周墨老师」', before: { name: '周墨' }, after: { name: '周墨老师' } });
    const planAudit = (await staffOk<ListAuditResponse>('owner', 'listAudit', { targetId: plan.plan.id })).data.entries[0];
    expect(planAudit).toMatchObject({ target: { kind: 'plan' }, summary: '添加会员方案「月度会员」' });
  });
});
