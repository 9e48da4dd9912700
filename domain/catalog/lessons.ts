import type { Database } from '../../server/database';
import type { Storage } from '../../server/storage';
import { accessTo, entitlementsFor } from '../access/entitlements';
import type { LessonView } from '../contracts/catalog';
import { DomainError } from '../errors';
import { openProgress, readProgress } from '../learning/record';
import { COURSES } from './courses';
import { mediaUrlOf } from './media';
import type { Course, Lesson } from './model';

export const LESSONS = 'lessons';

/**
 * A lesson for the caller: its content and a short-lived media URL if they may study it (trial,
 * free course, bought, membership), otherwise only its outline entry marked 'locked'. For a learner who may
 * study it, where they left off and the state their player's first save sends back (domain/learning): the
 * record is read beside the access check, and created on the first open (which starts the wall clock
 * progress is credited against) or written when its access check is due.
 *
 * Requests: the lesson, then the course, the learner's entitlements and their record at once (3 or 4),
 * and a write of the record on the first open or when its access check is due.
 */
export async function getLesson(db: Database, files: Storage, lessonId: string, openid: string | undefined, now: Date): Promise<LessonView> {
  const lesson = (await db.collection<Lesson>(LESSONS).where({ _id: lessonId }).get()).data[0];
  if (!lesson) throw new DomainError('NOT_FOUND', '课时不存在');
  const [courses, entitlements, stored] = await Promise.all([
    db.collection<Course>(COURSES).where({ _id: lesson.courseId, status: 'published' }).field({ price: true }).get(),
    lesson.trial ? Promise.resolve([]) : entitlementsFor(db, openid, lesson.courseId),
    openid ? readProgress(db, openid, lessonId) : Promise.resolve(undefined),
  ]);
  const course = courses.data[0];
  if (!course) throw new DomainError('NOT_FOUND', '课程不存在或已下架');
  const outline = { id: lesson._id, courseId: lesson.courseId, title: lesson.title, type: lesson.type, durationSec: lesson.durationSec, trial: lesson.trial };
  const access = lesson.trial ? 'trial' : (accessTo(course, entitlements, now) ?? 'locked');
  if (access === 'locked') return { lesson: outline, access };
  const [media, progress] = await Promise.all([mediaUrlOf(files, lesson, now), openid ? openProgress(db, openid, lesson, stored, now) : Promise.resolve(undefined)]);
  return {
    lesson: outline,
    access,
    ...(media ? { media } : {}),
    ...(lesson.article ? { article: lesson.article } : {}),
    ...(lesson.liveAt ? { liveAt: lesson.liveAt } : {}),
    ...(progress ? { progress } : {}),
  };
}
