/**
 * Every cloud function answers with this envelope. `message` is written for the learner or creator
 * (Simplified Chinese); `code` is stable for programs.
 */
export type ErrorCode =
  | 'INVALID_INPUT'
  | 'UNAUTHENTICATED'
  | 'NOT_FOUND'
  | 'FORBIDDEN'
  | 'CONFLICT'
  /** buying what the learner may already study (bought, or through membership) */
  | 'ALREADY_OWNED'
  /** buying a free course: it needs no order */
  | 'FREE_COURSE'
  /** the payment provider refused or failed; the learner may retry */
  | 'PAYMENT_UNAVAILABLE'
  /** content security judged what the learner wrote risky: nothing was saved */
  | 'CONTENT_REJECTED'
  | 'INTERNAL';

export type Reply<T> = { ok: true; data: T } | { ok: false; code: ErrorCode; message: string };
