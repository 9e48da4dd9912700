import type { Database } from '../../server/database';
import type { Storage } from '../../server/storage';
import { accessTo, entitlementsFor } from '../access/entitlements';
import { COURSES } from '../catalog/courses';
import { LESSONS } from '../catalog/lessons';
import { mediaUrlOf } from '../catalog/media';
import { waitingUntil } from '../catalog/schedule';
import type { Course, Lesson } from '../catalog/model';
import type { saveProgressRequest, SaveProgressResponse } from '../contracts/learning';
import type * as z from '../contracts/schema';
import { DomainError } from '../errors';
import type { ProgressState } from './model';
import { hashOf, progressId, stateOf } from './progress';
import { ACCESS_TRUSTED_MS, advance, completedIn, createProgress, readProgress, replaceProgress } from './record';

type SaveProgressInput = z.output<typeof saveProgressRequest>;

/**
 * Saves what the player played of a lesson (progress.ts says how it is credited).
 *
 * A save carrying the state the last save answered, while the access check on record holds, costs one
 * request: an update of the record on condition that it still holds exactly that state (its hash). The
 * record is not read, and a state the server did not write cannot match, so nothing but the record itself
 * is ever merged. Otherwise (the access check is due, no state, another state, or a concurrent save wrote
 * first) the save checks access again and hands out a fresh media URL: the lesson, then its course and the
 * learner's entitlements at once, and the conditional write: 4 requests; 5 when the record must be read,
 * after the failed update of the one-request path (6 in all).
 */
export async function saveProgress(db: Database, files: Storage, openid: string, req: SaveProgressInput, now: Date): Promise<SaveProgressResponse> {
  const claimed = req.state;
  if (claimed && claimed.accessUntil > now.getTime()) {
    const next = advance(openid, req.lessonId, claimed, { completed: completedIn(claimed), positionSec: 0 }, req.ranges, req.positionSec, now, claimed.accessUntil);
    if (await replaceProgress(db, progressId(openid, req.lessonId), hashOf(openid, req.lessonId, claimed), next, now)) return next.view;
    // Not the record's state (an older one, a concurrent save's, a made-up one): the record is read.
    return checkedSave(db, files, openid, req, now, undefined);
  }
  return checkedSave(db, files, openid, req, now, claimed);
}

/** A save that checks access first; `claimed` is tried as the record's state, and the record is read when it is not. */
async function checkedSave(db: Database, files: Storage, openid: string, req: SaveProgressInput, now: Date, claimed: ProgressState | undefined): Promise<SaveProgressResponse> {
  const lesson = (await db.collection<Lesson>(LESSONS).where({ _id: req.lessonId }).field({ courseId: true, durationSec: true, trial: true, media: true, live: true, liveAt: true, visibility: true }).get()).data[0];
  if (!lesson) throw new DomainError('NOT_FOUND', '课时不存在');
  // Reported by enough learners: no new URL until staff decide (domain/moderation/reports.ts).
  if (lesson.visibility === 'held') throw new DomainError('FORBIDDEN', '该课时正在审核中，请稍后再来');
  const trusted = claimed?.courseId === lesson.courseId ? claimed : undefined;
  const [courses, entitlements, stored] = await Promise.all([
    db.collection<Course>(COURSES).where({ _id: lesson.courseId, status: 'published' }).field({ price: true, schedule: true }).get(),
    lesson.trial ? Promise.resolve([]) : entitlementsFor(db, openid, lesson.courseId),
    trusted ? Promise.resolve(undefined) : readProgress(db, openid, req.lessonId),
  ]);
  const course = courses.data[0];
  if (!course) throw new DomainError('NOT_FOUND', '课程不存在或已下架');
  if (!lesson.trial && accessTo(course, entitlements, now) === null) throw new DomainError('FORBIDDEN', '购买课程后才能记录学习进度');
  if (waitingUntil(course, { id: req.lessonId, trial: lesson.trial }, now)) throw new DomainError('FORBIDDEN', '本课尚未开放，开放后才能记录学习进度');

  const base: ProgressState | undefined = trusted ?? (stored && stateOf(stored));
  // A lesson never opened through getLesson: the wall clock of its credit starts now.
  const start: ProgressState = { ...(base ?? { rev: 0, ranges: [], openedAt: now.getTime(), accessUntil: 0 }), courseId: lesson.courseId, durationSec: lesson.durationSec };
  const was = stored ?? { completed: trusted ? completedIn(trusted) : false, positionSec: 0 };
  const next = advance(openid, req.lessonId, start, was, req.ranges, req.positionSec, now, now.getTime() + ACCESS_TRUSTED_MS);
  const written = base
    ? await replaceProgress(db, progressId(openid, req.lessonId), stored?.stateHash ?? hashOf(openid, req.lessonId, base), next, now)
    : await createProgress(db, openid, req.lessonId, next, now);
  if (!written) {
    // The claimed state was not the record's, or another save wrote first: merge onto the record as it is.
    if (trusted) return checkedSave(db, files, openid, req, now, undefined);
    throw new DomainError('CONFLICT', '学习进度正在保存，请稍后再试');
  }
  const media = await mediaUrlOf(files, lesson, now, req.quality);
  return { ...next.view, ...(media ? { media } : {}) };
}
