import { MEDIA_URL_SECONDS } from '../../domain/catalog/media';
import type { CourseDetail, HomeView, LessonView, ListCoursesResponse, ListReviewsResponse } from '../../domain/contracts/catalog';
import type { Reply } from '../../domain/contracts/result';
import { callAs, connectSdk, uniqueName } from '../support/sdk';

/** The catalog functions over the demo school (database/demo), called as learners through the gateway. */
const { database } = connectSdk();
const db = database();

async function call<T>(name: string, data: Record<string, unknown> = {}, openid = uniqueName('o')) {
  const reply = await callAs<Reply<T>>(openid, name, data);
  return { reply: reply.body.result!, dbRequests: reply.dbRequests };
}

async function ok<T>(name: string, data: Record<string, unknown> = {}, openid?: string) {
  const { reply, dbRequests } = await call<T>(name, data, openid);
  if (!reply.ok) throw new Error(`${name} failed: ${reply.code} ${reply.message}`);
  return { data: reply.data, dbRequests };
}

async function grant(openid: string, entitlement: { kind: 'course'; courseId: string } | { kind: 'membership'; expiresAt: Date }) {
  const _id = entitlement.kind === 'course' ? `${openid}:course:${entitlement.courseId}` : `${openid}:membership`;
  await db.collection('entitlements').add({ data: { _id, openid, status: 'active', grantedAt: new Date(), ...entitlement } });
}

describe('getHome', () => {
  it('shows banners, the categories in order, featured courses by sales and the newest courses', async () => {
    const { data: home } = await ok<HomeView>('getHome');
    expect(home.banners).toHaveLength(3);
    expect(home.categories.map((c) => c.name)).toEqual(['Excel 与数据', 'PPT 与汇报', '职场沟通', '考研', '雅思留学', '公考', '摄影', '书法', '乐器']);
    expect(home.featured[0]).toMatchObject({ id: 'excel-basics', title: 'Excel 零基础到高效办公', lecturerName: '王思远', price: 990, originalPrice: 4900 });
    expect(home.featured.map((c) => c.id)).toEqual(['excel-basics', 'photo-phone', 'kaoyan-reading', 'excel-advanced', 'pen-camp', 'ppt-camp']);
    expect(home.newest[0].id).toBe('ielts-live');
    // A course shows in one of the two lists only.
    expect(home.newest.filter((c) => home.featured.some((f) => f.id === c.id))).toEqual([]);
    expect(home.featured[0].rating).toBeGreaterThan(3);
  });

  it('costs one database request once the snapshot exists', async () => {
    await ok('getHome');
    const { dbRequests } = await ok<HomeView>('getHome');
    expect(dbRequests).toBe(1);
  });
});

describe('listCourses', () => {
  it('lists a category, most popular first, in one request', async () => {
    const { data, dbRequests } = await ok<ListCoursesResponse>('listCourses', { categoryId: 'cat-photo' });
    expect(data.courses.map((c) => c.title)).toEqual(['手机摄影入门', '人像摄影用光进阶']);
    expect(data.hasMore).toBe(false);
    expect(dbRequests).toBe(1);
  });

  it("finds courses by their lecturer's name, title or subtitle", async () => {
    const byLecturer = await ok<ListCoursesResponse>('listCourses', { keyword: '周墨' });
    expect(byLecturer.data.courses.map((c) => c.id).sort()).toEqual(['brush-kaishu', 'pen-camp']);
    const byTitle = await ok<ListCoursesResponse>('listCourses', { keyword: 'excel' });
    expect(byTitle.data.courses.map((c) => c.id).sort()).toEqual(['excel-advanced', 'excel-basics']);
    const bySubtitle = await ok<ListCoursesResponse>('listCourses', { keyword: '通勤' });
    expect(bySubtitle.data.courses.map((c) => c.id)).toEqual(['talk-persuade']);
    const special = await ok<ListCoursesResponse>('listCourses', { keyword: '.*' });
    expect(special.data.courses).toEqual([]);
  });

  it('sorts by price and by date, and pages', async () => {
    const cheap = await ok<ListCoursesResponse>('listCourses', { sort: 'price_asc', pageSize: 3 });
    expect(cheap.data.courses.map((c) => c.price)).toEqual([0, 990, 1990]);
    expect(cheap.data.hasMore).toBe(true);
    const newest = await ok<ListCoursesResponse>('listCourses', { sort: 'new', pageSize: 2, page: 2 });
    expect(newest.data.courses.map((c) => c.id)).toEqual(['pen-camp', 'ppt-camp']);
    const all = await ok<ListCoursesResponse>('listCourses', { pageSize: 20 });
    expect(all.data.courses).toHaveLength(14);
    expect(all.data.hasMore).toBe(false);
  });

  it.each([
    [{ pageSize: 50 }, 'pageSize'],
    [{ sort: 'cheapest' }, 'sort'],
    [{ keyword: '' }, 'keyword'],
    [{ categoryId: 'a b' }, 'categoryId'],
    [{ price: 1 }, 'price'],
  ])('refuses bad input %j with a clear message', async (data, field) => {
    const { reply } = await call('listCourses', data);
    expect(reply).toMatchObject({ ok: false, code: 'INVALID_INPUT', message: expect.stringContaining('参数错误') });
    if (!reply.ok) expect(reply.message).toContain(field);
  });
});

describe('getCourse', () => {
  it('shows the outline with trial badges, the lecturer, latest reviews and the price to pay, in at most 3 requests', async () => {
    const { data, dbRequests } = await ok<CourseDetail>('getCourse', { courseId: 'excel-basics' });
    expect(dbRequests).toBeLessThanOrEqual(3);
    const { course, latestReviews, viewer } = data;
    expect(course.outline.map((c) => c.title)).toEqual(['第一章 认识 Excel', '第二章 常用函数', '第三章 图表与打印']);
    expect(course.outline[0].lessons.map((l) => l.trial)).toEqual([true, true, false, false]);
    expect(course.lessonCount).toBe(12);
    expect(course.lecturer).toMatchObject({ name: '王思远', title: expect.stringContaining('Office') });
    expect(course.refundRule).toEqual({ withinDays: 7, maxProgress: 0.3 });
    expect(latestReviews).toHaveLength(5);
    const dates = latestReviews.map((r) => new Date(r.createdAt).getTime());
    expect([...dates].sort((a, b) => b - a)).toEqual(dates);
    expect(viewer).toEqual({ access: null, quote: { amount: 990, originalAmount: 4900, reason: 'list' } });
    expect(JSON.stringify(data)).not.toContain('lesson-office.mp4');
  });

  it('knows a learner who bought the course, and a member for courses included in membership only', async () => {
    const buyer = uniqueName('o-buyer');
    await grant(buyer, { kind: 'course', courseId: 'excel-advanced' });
    expect((await ok<CourseDetail>('getCourse', { courseId: 'excel-advanced' }, buyer)).data.viewer).toEqual({ access: 'purchased', quote: { amount: 0, reason: 'owned' } });

    const member = uniqueName('o-member');
    await grant(member, { kind: 'membership', expiresAt: new Date(Date.now() + 86_400_000) });
    expect((await ok<CourseDetail>('getCourse', { courseId: 'guitar' }, member)).data.viewer.access).toBe('member');
    expect((await ok<CourseDetail>('getCourse', { courseId: 'excel-advanced' }, member)).data.viewer.access).toBeNull();

    const lapsed = uniqueName('o-lapsed');
    await grant(lapsed, { kind: 'membership', expiresAt: new Date(Date.now() - 1000) });
    expect((await ok<CourseDetail>('getCourse', { courseId: 'guitar' }, lapsed)).data.viewer.access).toBeNull();
  });

  it('answers an unknown course with "not found", never a trace', async () => {
    const { reply } = await call('getCourse', { courseId: 'no-such-course' });
    expect(reply).toEqual({ ok: false, code: 'NOT_FOUND', message: '课程不存在或已下架' });
  });
});

describe('getLesson', () => {
  it('keeps a paid lesson locked, with no content, for a learner who has not bought it', async () => {
    const { data } = await ok<LessonView>('getLesson', { lessonId: 'excel-basics-05' });
    expect(data).toEqual({
      lesson: { id: 'excel-basics-05', courseId: 'excel-basics', title: 'SUM 与 AVERAGE：从求和开始', type: 'video', durationSec: expect.any(Number), trial: false },
      access: 'locked',
    });
  });

  it('gives a trial lesson to anyone as a media URL that expires, and a paid one to its buyer', async () => {
    const started = Date.now();
    const { data: trial } = await ok<LessonView>('getLesson', { lessonId: 'photo-phone-01' });
    expect(trial.access).toBe('trial');
    expect(new Date(trial.media!.expiresAt).getTime() - started).toBeGreaterThanOrEqual(MEDIA_URL_SECONDS * 1000 - 60_000);
    const video = await fetch(trial.media!.url);
    expect(video.status).toBe(200);
    expect(video.headers.get('content-type')).toBe('video/mp4');
    expect((await video.arrayBuffer()).byteLength).toBeGreaterThan(10_000);

    const buyer = uniqueName('o-listener');
    await grant(buyer, { kind: 'course', courseId: 'talk-persuade' });
    const { data: paid } = await ok<LessonView>('getLesson', { lessonId: 'talk-persuade-04' }, buyer);
    expect(paid.access).toBe('purchased');
    expect((await fetch(paid.media!.url)).headers.get('content-type')).toBe('audio/mp4');
    const tampered = paid.media!.url.replace(/sign=[^&]+/, 'sign=forged');
    expect((await fetch(tampered)).status).toBe(403);
  });

  it('gives the article of a bought article course', async () => {
    const buyer = uniqueName('o-reader');
    await grant(buyer, { kind: 'course', courseId: 'talk-meeting' });
    const { data } = await ok<LessonView>('getLesson', { lessonId: 'talk-meeting-03' }, buyer);
    expect(data.access).toBe('purchased');
    expect(data.article).toContain('会议上如何发言不冷场');
  });

  it('answers an unknown lesson with "not found"', async () => {
    const { reply } = await call('getLesson', { lessonId: 'nope' });
    expect(reply).toEqual({ ok: false, code: 'NOT_FOUND', message: '课时不存在' });
  });
});

describe('listReviews', () => {
  it("pages a course's reviews newest first, one request per page, in the order the course page shows them", async () => {
    const { data: detail } = await ok<CourseDetail>('getCourse', { courseId: 'excel-basics' });
    const pages: ListReviewsResponse[] = [];
    for (let page = 1; page <= 3; page++) {
      const { data, dbRequests } = await ok<ListReviewsResponse>('listReviews', { courseId: 'excel-basics', page, pageSize: 2 });
      expect(dbRequests).toBe(1);
      pages.push(data);
    }
    expect(pages.map((p) => [p.reviews.length, p.hasMore])).toEqual([[2, true], [2, true], [1, false]]);
    expect(pages.flatMap((p) => p.reviews)).toEqual(detail.latestReviews);
  });

  it('answers an unknown course with no reviews, and refuses a page larger than 20', async () => {
    expect((await ok<ListReviewsResponse>('listReviews', { courseId: 'no-such-course' })).data).toEqual({ reviews: [], page: 1, hasMore: false });
    const { reply } = await call('listReviews', { courseId: 'excel-basics', pageSize: 21 });
    expect(reply).toMatchObject({ ok: false, code: 'INVALID_INPUT', message: expect.stringContaining('pageSize') });
  });
});
