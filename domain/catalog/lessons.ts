import type { Database } from '../../server/database';
import type { Storage } from '../../server/storage';
import { accessTo, entitlementsFor } from '../access/entitlements';
import type { LessonView } from '../contracts/catalog';
import { DomainError } from '../errors';
import { openProgress, readProgress } from '../learning/record';
import { defaultNickname, learnerNumber, USERS } from '../users/profile';
import { COURSES } from './courses';
import { mediaUrlOf } from './media';
import type { Chapter, Course, Lesson } from './model';

export const LESSONS = 'lessons';

/** The lesson after `lessonId` in the course's outline (across chapters), if any. */
export function nextLessonOf(outline: Chapter[], lessonId: string): string | undefined {
  const ids = outline.flatMap((chapter) => chapter.lessons.map((l) => l.id));
  const at = ids.indexOf(lessonId);
  return at >= 0 ? ids[at + 1] : undefined;
}

/**
 * A lesson for the caller: its content and a short-lived media URL if they may study it (trial,
 * free course, bought, membership), otherwise only its outline entry marked 'locked'. For a learner who may
 * study it, where they left off and the state their player's first save sends back (domain/learning): the
 * record is read once access is known, and created on the first open (which starts the wall clock progress
 * is credited against) or written when its access check is due.
 *
 * Paid media come with a watermark (the learner's nickname and number) and every lesson with the next one
 * in the outline, for the player.
 *
 * Requests: the lesson, then the course and the learner's entitlements at once (3; a locked lesson ends
 * here), then their record and, for paid media, their profile at once (4 or 5), and a write of the record
 * on the first open or when its access check is due.
 */
export async function getLesson(db: Database, files: Storage, lessonId: string, openid: string | undefined, now: Date): Promise<LessonView> {
  const lesson = (await db.collection<Lesson>(LESSONS).where({ _id: lessonId }).get()).data[0];
  if (!lesson) throw new DomainError('NOT_FOUND', '课时不存在');
  const [courses, entitlements] = await Promise.all([
    db.collection<Course>(COURSES).where({ _id: lesson.courseId, status: 'published' }).field({ price: true, outline: true }).get(),
    lesson.trial ? Promise.resolve([]) : entitlementsFor(db, openid, lesson.courseId),
  ]);
  const course = courses.data[0];
  if (!course) throw new DomainError('NOT_FOUND', '课程不存在或已下架');
  const outline = { id: lesson._id, courseId: lesson.courseId, title: lesson.title, type: lesson.type, durationSec: lesson.durationSec, trial: lesson.trial };
  const access = lesson.trial ? 'trial' : (accessTo(course, entitlements, now) ?? 'locked');
  if (access === 'locked') return { lesson: outline, access };
  // Only for a learner who may study it: their record, and their profile for paid media's watermark.
  const [media, stored, users] = await Promise.all([
    mediaUrlOf(files, lesson, now),
    openid ? readProgress(db, openid, lessonId) : Promise.resolve(undefined),
    openid && !lesson.trial && lesson.media ? db.collection<{ nickname: string }>(USERS).where({ _id: openid }).field({ nickname: true }).get() : Promise.resolve(undefined),
  ]);
  const progress = openid ? await openProgress(db, openid, lesson, stored, now) : undefined;
  const next = nextLessonOf(course.outline, lesson._id);
  return {
    lesson: outline,
    access,
    ...(media ? { media } : {}),
    // Paid media carry who watches them: a recording shows its source.
    ...(media && users && openid ? { watermark: `${users.data[0]?.nickname ?? defaultNickname(openid)} ${learnerNumber(openid)}` } : {}),
    ...(next ? { nextLessonId: next } : {}),
    ...(lesson.article ? { article: lesson.article } : {}),
    ...(lesson.liveAt ? { liveAt: lesson.liveAt } : {}),
    ...(progress ? { progress } : {}),
  };
}
