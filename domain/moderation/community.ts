/**
 * The console's 评价管理 and 打卡管理: every review and check-in learners wrote, reported or not, for staff to
 * hide or show again (moderateContent in ./reports.ts).
 */
import { pageOf, type Database } from '../../server/database';
import type { Storage } from '../../server/storage';
import { COURSES, REVIEWS } from '../catalog/courses';
import type { Course, Review } from '../catalog/model';
import type { ListCheckInsAdminResponse, listCommunityRequest, ListReviewsAdminResponse } from '../contracts/moderation';
import type * as z from '../contracts/schema';
import { CHECKINS, PICTURE_SECONDS, type CheckInDay } from '../learning/checkins';
import { courseCondition, type CourseScope } from '../staff/scope';

type ListRequest = z.output<typeof listCommunityRequest>;

/** The titles of the items' courses, in one request. */
async function courseTitles(db: Database, courseIds: string[]): Promise<Map<string, string>> {
  const distinct = [...new Set(courseIds)];
  if (!distinct.length) return new Map();
  const { data } = await db
    .collection<Course>(COURSES)
    .where({ _id: db.command.in(distinct) })
    .field({ title: true })
    .limit(distinct.length)
    .get();
  return new Map(data.map((c) => [c._id, c.title]));
}

/** One page, newest first, with its courses' titles. */
async function newestPage<T extends { courseId: string }>(db: Database, collection: string, where: Record<string, unknown>, req: ListRequest) {
  const { items, hasMore } = await pageOf(db.collection<T>(collection).where(where).orderBy('createdAt', 'desc').orderBy('_id', 'asc'), req);
  return { page: items, titles: await courseTitles(db, items.map((d) => d.courseId)), hasMore };
}

const ofCourse = (req: ListRequest) => (req.courseId ? { courseId: req.courseId } : {});

/**
 * Reviews of every course or one, shown or hidden (`held`; one without a visibility, demo or imported, is
 * shown). Requests: the page (`course_createdAt`, `visibility_createdAt` or `createdAt`), its courses' titles.
 */
export async function listReviewsAdmin(db: Database, req: ListRequest): Promise<ListReviewsAdminResponse> {
  const status = req.status ? { visibility: req.status === 'hidden' ? 'held' : db.command.neq('held') } : {};
  const { page, titles, hasMore } = await newestPage<Review>(db, REVIEWS, { ...ofCourse(req), ...status }, req);
  return {
    items: page.map((r) => ({
      id: r.publicId,
      courseId: r.courseId,
      ...(titles.has(r.courseId) ? { courseTitle: titles.get(r.courseId)! } : {}),
      nickname: r.nickname,
      rating: r.rating,
      content: r.content,
      createdAt: r.createdAt,
      hidden: r.visibility === 'held',
      ...(r.takedown ? { takedown: r.takedown } : {}),
    })),
    page: req.page,
    hasMore,
  };
}

/**
 * Check-ins of every course or one (of the courses in `scope`, a teacher's, when given), shown or hidden
 * (`held`: by staff, reports, or content security while it checks), with every picture: staff judge what
 * learners do not see yet. Requests: the page (`kind_visibility_createdAt`, `kind_createdAt` or
 * `course_createdAt`), its courses' titles, the pictures' URLs.
 */
export async function listCheckInsAdmin(db: Database, files: Storage, req: ListRequest, scope?: CourseScope): Promise<ListCheckInsAdminResponse> {
  const status = req.status ? { visibility: req.status === 'hidden' ? 'held' : 'visible' } : {};
  const course = courseCondition(db, scope, req.courseId, '只能查看自己课程的打卡');
  const { page, titles, hasMore } = await newestPage<CheckInDay>(db, CHECKINS, { kind: 'day', ...course, ...status }, req);
  const urls = await files.tempUrls(
    page.flatMap((d) => (d.media ?? []).map((m) => m.fileId)),
    PICTURE_SECONDS,
  );
  return {
    items: page.map((d) => ({
      id: d.publicId,
      courseId: d.courseId,
      ...(titles.has(d.courseId) ? { courseTitle: titles.get(d.courseId)! } : {}),
      nickname: d.nickname,
      ...(d.text ? { text: d.text } : {}),
      images: (d.media ?? []).map((m) => urls.get(m.fileId) ?? ''),
      day: d.day,
      createdAt: d.createdAt,
      hidden: d.visibility !== 'visible',
      ...(d.takedown ? { takedown: d.takedown } : {}),
    })),
    page: req.page,
    hasMore,
  };
}
