import type { ErrorCode } from './contracts/result';

/** A rule of the business said no. The message is shown to the learner or creator as is. */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}
