/**
 * The progress records (`progress/<openid>:<lessonId>`): read, opened by getLesson, and written only on
 * condition that they still hold the state a save started from, so concurrent saves never overwrite each
 * other's ranges.
 */
import { isDuplicateKey, type Database } from '../../server/database';
import { MEDIA_URL_SECONDS } from '../catalog/media';
import type { Lesson } from '../catalog/model';
import type { ProgressView } from '../contracts/learning';
import type { LessonProgress, ProgressState, Range } from './model';
import { beijingWeek } from './calendar';
import { completes, credit, hashOf, progressId, PROGRESS, stateOf, watchedSeconds } from './progress';

/**
 * How long saves trust an access check without checking again. The check hands out a media URL that lives
 * `MEDIA_URL_SECONDS`; the player saves every 2 minutes while playing, so the save that checks again comes
 * while that URL still plays, and hands out the next one.
 */
export const ACCESS_TRUSTED_MS = (MEDIA_URL_SECONDS - 150) * 1000;

export type StoredProgress = Omit<LessonProgress, '_id'>;
type Fields = Omit<StoredProgress, 'openid' | 'lessonId'>;

/** The player's view of a record. */
export function progressView(p: Pick<LessonProgress, 'watchedSec' | 'completed' | 'positionSec'> & ProgressState): ProgressView {
  return { watchedSec: p.watchedSec, completed: p.completed, positionSec: p.positionSec, state: stateOf(p) };
}

/** Whether a state's ranges complete its lesson (for a state whose record was not read). */
export const completedIn = (s: ProgressState) => completes(watchedSeconds(s.ranges), s.durationSec);

/** A record after crediting `reported` ranges onto `base`: the fields to write, and what the player sees. */
export function advance(
  openid: string,
  lessonId: string,
  base: ProgressState,
  was: { completed: boolean; positionSec: number },
  reported: Range[],
  positionSec: number | undefined,
  now: Date,
  accessUntil: number,
): { fields: Fields; view: ProgressView; creditedSec: number } {
  const credited = credit(base, reported, now.getTime(), was.completed);
  const state: ProgressState = { ...base, rev: base.rev + 1, ranges: credited.ranges, accessUntil };
  const fields: Fields = {
    ...state,
    watchedSec: credited.watchedSec,
    completed: credited.completed,
    positionSec: Math.min(positionSec ?? was.positionSec, state.durationSec),
    stateHash: hashOf(openid, lessonId, state),
    updatedAt: now,
    ...(credited.completed && !was.completed ? { completedAt: now } : {}),
  };
  return { fields, view: progressView(fields), creditedSec: Math.max(0, credited.watchedSec - Math.round(watchedSeconds(base.ranges))) };
}

/** The learner's record of a lesson, if any. */
export async function readProgress(db: Database, openid: string, lessonId: string): Promise<StoredProgress | undefined> {
  return (await db.collection<StoredProgress>(PROGRESS).where({ _id: progressId(openid, lessonId) }).get()).data[0];
}

/** A record after a save: its fields, and the seconds it credits (added to this week's, in the same write). */
export interface ProgressWrite {
  fields: Fields;
  creditedSec: number;
}

/** Writes the record on condition that it still holds the state hashed `hash`; false when it does not. */
export async function replaceProgress(db: Database, id: string, hash: string, { fields, creditedSec }: ProgressWrite, now: Date): Promise<boolean> {
  const week = creditedSec > 0 ? { weeks: { [beijingWeek(now)]: db.command.inc(creditedSec) } } : {};
  const { stats } = await db.collection<StoredProgress>(PROGRESS).where({ _id: id, stateHash: hash }).update({ data: { ...fields, ...week } });
  return stats.updated === 1;
}

/** Creates the record; false when another call created it meanwhile. */
export async function createProgress(db: Database, openid: string, lessonId: string, { fields, creditedSec }: ProgressWrite, now: Date): Promise<boolean> {
  const weeks = creditedSec > 0 ? { weeks: { [beijingWeek(now)]: creditedSec } } : {};
  try {
    await db.collection<StoredProgress & { _id: string }>(PROGRESS).add({ data: { _id: progressId(openid, lessonId), openid, lessonId, ...fields, ...weeks } });
    return true;
  } catch (e) {
    if (isDuplicateKey(e)) return false;
    throw e;
  }
}

/**
 * Opens a lesson for a learner whose access getLesson just checked: the first time, the record is created
 * and the wall clock of its credit starts; later, the access check is recorded when the one on record is
 * about to lapse (or the lesson's duration changed). Answers where to resume and the state for the first
 * save, or nothing when another call wrote the record meanwhile (the first save then reads it). 1 write
 * when it writes, none otherwise.
 */
export async function openProgress(db: Database, openid: string, lesson: Pick<Lesson, '_id' | 'courseId' | 'durationSec'>, stored: StoredProgress | undefined, now: Date): Promise<ProgressView | undefined> {
  const accessUntil = now.getTime() + ACCESS_TRUSTED_MS;
  if (!stored) {
    const next = advance(openid, lesson._id, { rev: 0, ranges: [], openedAt: now.getTime(), accessUntil, courseId: lesson.courseId, durationSec: lesson.durationSec }, { completed: false, positionSec: 0 }, [], 0, now, accessUntil);
    return (await createProgress(db, openid, lesson._id, next, now)) ? next.view : undefined;
  }
  const current = stored.courseId === lesson.courseId && stored.durationSec === lesson.durationSec;
  if (current && stored.accessUntil - now.getTime() > ACCESS_TRUSTED_MS / 2) return progressView(stored);
  const base = { ...stateOf(stored), courseId: lesson.courseId, durationSec: lesson.durationSec };
  const next = advance(openid, lesson._id, base, stored, [], undefined, now, accessUntil);
  return (await replaceProgress(db, progressId(openid, lesson._id), stored.stateHash, next, now)) ? next.view : undefined;
}
