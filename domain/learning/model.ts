/** The shapes of lesson progress, without the rules (progress.ts): what contracts and the mini program see. */

/** `[startSec, endSec)` of the lesson's media. */
export type Range = [number, number];

/**
 * What the server recorded of a learner and a lesson at its last write, which the player keeps and sends back
 * with the next save. The stored document holds its hash: a save whose state hashes to it is the record
 * itself, so the server merges without reading it (one request a save); any other state (an older one, a
 * made-up one) is not trusted and the record is read instead.
 */
export interface ProgressState {
  /** one more at each write */
  rev: number;
  /** merged, sorted, within the lesson's duration */
  ranges: Range[];
  /** when the learner first opened the lesson (ms since the epoch): credit is bounded by the time since */
  openedAt: number;
  /** until when (ms since the epoch) saves trust the learner's access checked last, without checking it again */
  accessUntil: number;
  courseId: string;
  durationSec: number;
}

/** The document of a learner and a lesson (`<openid>:<lessonId>`). */
export interface LessonProgress extends ProgressState {
  _id: string;
  openid: string;
  lessonId: string;
  /** seconds played, ranges counted once */
  watchedSec: number;
  /** where the learner left off: the player resumes here */
  positionSec: number;
  completed: boolean;
  completedAt?: Date;
  /** `hashOf(openid, lessonId, state)` of the state this document holds */
  stateHash: string;
  updatedAt: Date;
  /** seconds credited in each Beijing week, by its Monday (YYYY-MM-DD): what 我的 shows as this week's learning */
  weeks?: Record<string, number>;
}

/**
 * Where a homework stands: `checking` while WeChat checks its pictures or audio; `held` when content security
 * wants a person to look first; `returned` when its media were refused (the learner hands in again);
 * `submitted` waiting for a teacher; `reviewed` graded (final).
 */
export type HomeworkStatus = 'checking' | 'held' | 'returned' | 'submitted' | 'reviewed';
