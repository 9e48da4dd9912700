import type { Database } from '../../server/database';
import { COURSES } from '../catalog/courses';
import type { Course } from '../catalog/model';
import { DomainError } from '../errors';
import { accessTo, entitlementsFor } from './entitlements';

/**
 * A published course the learner may study (free, bought, through membership), for what only its learners
 * do (check in, review); refused with `refusal` otherwise. The course and the entitlements at once: 2
 * requests.
 */
export async function studiedCourse(db: Database, openid: string, courseId: string, now: Date, refusal: string): Promise<Pick<Course, '_id' | 'price' | 'schedule'>> {
  const [courses, entitlements] = await Promise.all([
    db.collection<Course>(COURSES).where({ _id: courseId, status: 'published' }).field({ price: true, schedule: true }).get(),
    entitlementsFor(db, openid, courseId),
  ]);
  const course = courses.data[0];
  if (!course) throw new DomainError('NOT_FOUND', '课程不存在或已下架');
  if (accessTo(course, entitlements, now) === null) throw new DomainError('FORBIDDEN', refusal);
  return course;
}
