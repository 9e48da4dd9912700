/**
 * Lesson progress as the server credits it: the ranges of the lesson a learner really played, merged, and
 * never more than the wall-clock time since they first opened the lesson allows (pure rules; the records
 * are read and written in record.ts and save.ts).
 */
import { createHash } from 'node:crypto';
import type { CourseProgress } from '../contracts/learning';
import type { LessonProgress, ProgressState, Range } from './model';

export const PROGRESS = 'progress';

/** A lesson counts as completed once this share of its duration was actually played. */
export const COMPLETION_SHARE = 0.9;
/**
 * The fastest rate the player offers (`VideoContext.playbackRate` goes up to 2.0 from base library 2.6.3;
 * the background audio manager's `playbackRate` to 2.0): media seconds played per wall-clock second.
 */
export const FASTEST_RATE = 2;
/**
 * How often the player saves while playing (and on pause, end, hide and unload): every 2 minutes, so that
 * with one access check every `ACCESS_TRUSTED_MS` a learner-minute of playback costs under 1 DB request.
 * The mini program keeps the same value (miniprogram/config.ts; a test keeps them equal).
 */
export const SAVE_INTERVAL_SEC = 120;
/** What the wall-clock bound forgives: clocks and the first second of playing. */
export const CREDIT_SLACK_SEC = 5;

export const progressId = (openid: string, lessonId: string) => `${openid}:${lessonId}`;

/** The state fields of a stored document, in the shape the player keeps. */
export function stateOf(p: ProgressState): ProgressState {
  return { rev: p.rev, ranges: p.ranges, openedAt: p.openedAt, accessUntil: p.accessUntil, courseId: p.courseId, durationSec: p.durationSec };
}

/** The hash the document keeps of its state; the learner and lesson are in it, so no state serves another. */
export function hashOf(openid: string, lessonId: string, s: ProgressState): string {
  const canonical = JSON.stringify([openid, lessonId, s.rev, s.ranges, s.openedAt, s.accessUntil, s.courseId, s.durationSec]);
  return createHash('sha256').update(canonical).digest('base64url');
}

/** Ranges sorted, clamped to `[0, durationSec]`, empty ones dropped, overlapping or touching ones joined. */
export function mergeRanges(ranges: Range[], durationSec: number): Range[] {
  const clamped = ranges
    .map(([start, end]): Range => [Math.max(0, Math.min(start, durationSec)), Math.max(0, Math.min(end, durationSec))])
    .filter(([start, end]) => end > start)
    .sort((a, b) => a[0] - b[0]);
  const merged: Range[] = [];
  for (const [start, end] of clamped) {
    const last = merged[merged.length - 1];
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else merged.push([start, end]);
  }
  return merged;
}

export const watchedSeconds = (ranges: Range[]) => ranges.reduce((sum, [start, end]) => sum + (end - start), 0);

/** Whether `watchedSec` played of a lesson of `durationSec` completes it. */
export const completes = (watchedSec: number, durationSec: number) => durationSec > 0 && watchedSec >= COMPLETION_SHARE * durationSec;

/**
 * `next` with what is new in it against `before` cut down to `allowance` seconds, earliest first: the parts
 * of the lesson played for the first time, as far as the allowance reaches.
 */
function creditUpTo(before: Range[], next: Range[], allowance: number, durationSec: number): Range[] {
  const fresh: Range[] = [];
  for (const [start, end] of next) {
    let cursor = start;
    for (const [s, e] of before) {
      if (e <= cursor || s >= end) continue;
      if (s > cursor) fresh.push([cursor, s]);
      cursor = Math.max(cursor, e);
    }
    if (cursor < end) fresh.push([cursor, end]);
  }
  const kept: Range[] = [];
  let left = Math.max(0, allowance);
  for (const [start, end] of fresh) {
    if (left <= 0) break;
    const take = Math.min(end - start, left);
    kept.push([start, start + take]);
    left -= take;
  }
  return mergeRanges([...before, ...kept], durationSec);
}

/** Rounded to the millisecond, so the stored ranges and the hash survive JSON. */
const tidy = (ranges: Range[]) => ranges.map(([start, end]): Range => [Math.round(start * 1000) / 1000, Math.round(end * 1000) / 1000]);

/** What a save makes of a state. */
export interface Credited {
  ranges: Range[];
  watchedSec: number;
  completed: boolean;
}

/**
 * Credits the ranges a player reports against what the record holds: overlaps count once, everything is
 * clamped to the lesson's duration, and the total credited never exceeds the wall-clock time since the
 * learner first opened the lesson times the fastest rate offered, plus a small slack, whatever the calls
 * say. Seeking reports no range, so seeking to the end completes nothing. A lesson completed stays
 * completed (a shorter media later does not undo it: `wasCompleted`).
 */
export function credit(state: ProgressState, reported: Range[], now: number, wasCompleted: boolean): Credited {
  const { durationSec } = state;
  const wanted = mergeRanges([...state.ranges, ...reported], durationSec);
  const budget = (FASTEST_RATE * Math.max(0, now - state.openedAt)) / 1000 + CREDIT_SLACK_SEC;
  const before = watchedSeconds(state.ranges);
  const ranges = tidy(watchedSeconds(wanted) > budget ? creditUpTo(state.ranges, wanted, budget - before, durationSec) : wanted);
  const watchedSec = Math.round(watchedSeconds(ranges));
  return {
    ranges,
    watchedSec,
    completed: wasCompleted || completes(watchedSec, durationSec),
  };
}

/** A course's progress from the learner's records of its lessons (`durationSec`: the course's). */
export function courseProgress(records: Array<Pick<LessonProgress, 'lessonId' | 'completed' | 'watchedSec' | 'positionSec' | 'updatedAt'>>, durationSec: number): CourseProgress {
  const last = records.reduce<(typeof records)[number] | undefined>((latest, r) => (!latest || r.updatedAt > latest.updatedAt ? r : latest), undefined);
  const watched = records.reduce((sum, r) => sum + r.watchedSec, 0);
  return {
    completedLessons: records.filter((r) => r.completed).length,
    watchedShare: durationSec > 0 ? Math.min(1, Math.round((watched / durationSec) * 1000) / 1000) : 0,
    ...(last ? { lastLesson: { id: last.lessonId, positionSec: last.positionSec } } : {}),
  };
}

