/**
 * Every cloud function answers with this envelope. `message` is written for the learner or creator
 * (Simplified Chinese); `code` is stable for programs.
 */
export type ErrorCode = 'INVALID_INPUT' | 'UNAUTHENTICATED' | 'NOT_FOUND' | 'FORBIDDEN' | 'CONFLICT' | 'INTERNAL';

export type Reply<T> = { ok: true; data: T } | { ok: false; code: ErrorCode; message: string };
