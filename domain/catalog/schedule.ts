import type { Chapter, Course, OutlineLesson, Schedule } from './model';

/**
 * Camp schedules unlock lessons: a lesson listed in a session's `lessonIds` opens to entitled learners at
 * that session's `startAt` (the first such session, if several list it). Trial lessons are open to anyone
 * at any time: they are how a camp is sold.
 */
export function opensAtOf(schedule: Schedule | undefined, lessonId: string): Date | undefined {
  let first: Date | undefined;
  for (const session of schedule?.sessions ?? []) {
    if (!session.lessonIds?.includes(lessonId)) continue;
    const at = new Date(session.startAt);
    if (!first || at < first) first = at;
  }
  return first;
}

/** When the lesson opens, if it is still waiting for its session at `now`; undefined once open (or never scheduled, or a trial). */
export function waitingUntil(course: Pick<Course, 'schedule'>, lesson: { id: string; trial: boolean }, now: Date): Date | undefined {
  if (lesson.trial) return undefined;
  const opensAt = opensAtOf(course.schedule, lesson.id);
  return opensAt && opensAt.getTime() > now.getTime() ? opensAt : undefined;
}

/** An outline entry, with when it opens while it waits for its session. */
export type ScheduledLesson = OutlineLesson & { opensAt?: Date };
export type ScheduledChapter = Omit<Chapter, 'lessons'> & { lessons: ScheduledLesson[] };

/** The course's outline with each lesson still waiting for its session marked with when it opens. */
export function scheduledOutline(course: Pick<Course, 'schedule' | 'outline'>, now: Date): ScheduledChapter[] {
  if (!course.schedule?.sessions.some((s) => s.lessonIds?.length)) return course.outline;
  return course.outline.map((chapter) => ({
    ...chapter,
    lessons: chapter.lessons.map((lesson) => {
      const opensAt = waitingUntil(course, lesson, now);
      return opensAt ? { ...lesson, opensAt } : lesson;
    }),
  }));
}
