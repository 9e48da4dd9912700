/**
 * A teacher sees the homework, check-ins and learners of the courses they teach only (`courseIds` of their
 * `staff` document), when teacher is the only role of theirs allowing the function's action (`teacherScoped`
 * in ./roles.ts): the handler then passes those courses as the caller's `courseIds`, and the function hands
 * them to the domain as its scope.
 */
import type { Database } from '../../server/database';
import { DomainError } from '../errors';

/** The courses a caller may see; undefined: every course. */
export type CourseScope = readonly string[] | undefined;

export const inScope = (scope: CourseScope, courseId: string | undefined): boolean => !scope || (!!courseId && scope.includes(courseId));

/** Refuses an item of a course outside the scope, with `refusal` as the creator reads it. */
export function requireInScope(scope: CourseScope, courseId: string | undefined, refusal: string): void {
  if (!inScope(scope, courseId)) throw new DomainError('FORBIDDEN', refusal);
}

/**
 * The `courseId` condition of a list within the scope: the course asked for (refused outside the scope), or
 * else the scope's courses (none: nothing matches), or no condition for every course.
 */
export function courseCondition(db: Database, scope: CourseScope, courseId: string | undefined, refusal: string): { courseId?: unknown } {
  if (courseId) {
    requireInScope(scope, courseId, refusal);
    return { courseId };
  }
  return scope ? { courseId: db.command.in([...scope]) } : {};
}
