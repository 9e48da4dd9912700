import type { Database } from '../../server/database';
import { COURSES } from '../catalog/courses';
import { LESSONS } from '../catalog/lessons';
import type { Course, Lesson } from '../catalog/model';
import type { StudySummary } from '../contracts/learning';
import { beijingDay, beijingWeek } from './calendar';
import { CHECKINS, currentStreak, type CheckInTally } from './checkins';
import type { LessonProgress } from './model';
import { PROGRESS } from './progress';
import { unreadMessages } from '../messages/list';

/** A learner studying more lessons in a week than this is rare; beyond it the week's minutes undercount. */
const WEEK_RECORDS = 200;

/**
 * What 我的 shows: this week's minutes (the seconds each progress record credited this Beijing week), the
 * longest check-in streak still alive, the lesson studied last with its course, to continue, and how many
 * messages are unread.
 *
 * Requests: the records studied this week, the one studied last, the check-in tallies and the unread
 * messages' count at once; then that lesson and its course at once: 6 (4 for a learner who never studied).
 */
export async function studySummary(db: Database, openid: string, now: Date): Promise<StudySummary> {
  const _ = db.command;
  const week = beijingWeek(now);
  const [thisWeek, latest, tallies, unread] = await Promise.all([
    db
      .collection<LessonProgress>(PROGRESS)
      .where({ openid, updatedAt: _.gte(new Date(`${week}T00:00:00+08:00`)) })
      .field({ weeks: true })
      .limit(WEEK_RECORDS)
      .get(),
    db.collection<LessonProgress>(PROGRESS).where({ openid }).orderBy('updatedAt', 'desc').limit(1).get(),
    db.collection<CheckInTally>(CHECKINS).where({ openid, kind: 'tally' }).field({ streak: true, lastDay: true }).get(),
    unreadMessages(db, openid),
  ]);
  const seconds = thisWeek.data.reduce((sum, r) => sum + (r.weeks?.[week] ?? 0), 0);
  const today = beijingDay(now);
  // Camps' days off are not known here: a streak counts as alive when its last day is today or yesterday.
  const summary: StudySummary = { weekMinutes: Math.round(seconds / 60), streak: Math.max(0, ...tallies.data.map((t) => currentStreak(t, today))), unreadMessages: unread };
  const last = latest.data[0];
  if (!last) return summary;
  const [lessons, courses] = await Promise.all([
    db.collection<Lesson>(LESSONS).where({ _id: last.lessonId }).field({ title: true }).get(),
    db.collection<Course>(COURSES).where({ _id: last.courseId }).field({ title: true }).get(),
  ]);
  const [lesson, course] = [lessons.data[0], courses.data[0]];
  if (!lesson || !course) return summary;
  return {
    ...summary,
    continue: { lessonId: last.lessonId, lessonTitle: lesson.title, courseId: last.courseId, courseTitle: course.title, positionSec: last.positionSec, durationSec: last.durationSec, completed: last.completed },
  };
}
