import type { Database } from '../../server/database';
import type { Storage } from '../../server/storage';
import { accessTo, entitlementsFor } from '../access/entitlements';
import type { LessonView } from '../contracts/catalog';
import { DomainError } from '../errors';
import { COURSES } from './courses';
import type { Course, Lesson } from './model';

export const LESSONS = 'lessons';
/**
 * How long a media URL plays: a learner whose access ends (a refund, a revoked grant, a lapsed
 * membership) keeps a URL already handed out at most this long, and gets no new one. The player asks for
 * a new URL before it expires.
 */
export const MEDIA_URL_SECONDS = 10 * 60;

/**
 * A lesson for the caller: its content and a short-lived media URL if they may study it (trial,
 * free course, bought, membership), otherwise only its outline entry marked 'locked'.
 */
export async function getLesson(db: Database, files: Storage, lessonId: string, openid: string | undefined, now: Date): Promise<LessonView> {
  const lesson = (await db.collection<Lesson>(LESSONS).where({ _id: lessonId }).get()).data[0];
  if (!lesson) throw new DomainError('NOT_FOUND', '课时不存在');
  const [courses, entitlements] = await Promise.all([
    db.collection<Course>(COURSES).where({ _id: lesson.courseId, status: 'published' }).field({ price: true }).get(),
    lesson.trial ? Promise.resolve([]) : entitlementsFor(db, openid, lesson.courseId),
  ]);
  const course = courses.data[0];
  if (!course) throw new DomainError('NOT_FOUND', '课程不存在或已下架');
  const outline = { id: lesson._id, courseId: lesson.courseId, title: lesson.title, type: lesson.type, durationSec: lesson.durationSec, trial: lesson.trial };
  const access = lesson.trial ? 'trial' : (accessTo(course, entitlements, now) ?? 'locked');
  if (access === 'locked') return { lesson: outline, access };
  const view: LessonView = { lesson: outline, access };
  if (lesson.media) {
    const url = (await files.tempUrls([lesson.media.fileId], MEDIA_URL_SECONDS)).get(lesson.media.fileId)!;
    view.media = { url, expiresAt: new Date(now.getTime() + MEDIA_URL_SECONDS * 1000) };
  }
  if (lesson.article) view.article = lesson.article;
  if (lesson.liveAt) view.liveAt = lesson.liveAt;
  return view;
}
