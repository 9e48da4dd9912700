import type { Database } from '../../server/database';
import { COURSES } from '../catalog/courses';
import { LESSONS } from '../catalog/lessons';
import type { Course, Lesson } from '../catalog/model';
import type { LessonView } from '../contracts/catalog';
import { accessTo, entitlementsFor, type Access } from './entitlements';

/**
 * Offline copies are for learners entitled to the course (free, bought, membership), of audio lessons with
 * media: a free trial is listened to online only, so a trial never outlives the decision not to buy.
 * The mini program offers the download on the same condition (services/downloads.ts).
 */
export function mayDownload(lesson: Pick<Lesson, 'type' | 'media'>, access: Access | LessonView['access']): boolean {
  return lesson.type === 'audio' && !!lesson.media && (access === 'free' || access === 'purchased' || access === 'member');
}

/**
 * Of `lessonIds` (what the learner keeps offline), those they may still keep: the lessons, then their
 * published courses and the learner's entitlements at once (3 requests; 2 when none of the lessons exists).
 */
export async function downloadsToKeep(db: Database, openid: string, lessonIds: string[], now: Date): Promise<string[]> {
  const _ = db.command;
  const lessons = (await db.collection<Lesson>(LESSONS).where({ _id: _.in([...new Set(lessonIds)]) }).field({ courseId: true, type: true, media: true }).get()).data;
  const courseIds = [...new Set(lessons.map((l) => l.courseId))];
  if (!courseIds.length) return [];
  const [courses, entitlements] = await Promise.all([
    db.collection<Course>(COURSES).where({ _id: _.in(courseIds), status: 'published' }).field({ price: true }).get(),
    entitlementsFor(db, openid, courseIds[0]!, ...courseIds.slice(1)),
  ]);
  const byId = new Map(courses.data.map((c) => [c._id, c]));
  return lessons.filter((l) => {
    const course = byId.get(l.courseId);
    return course !== undefined && mayDownload(l, accessTo(course, entitlements, now));
  }).map((l) => l._id);
}
