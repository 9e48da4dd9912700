import { reportContentRequest } from '../../domain/contracts/moderation';
import { reportContent } from '../../domain/moderation/reports';
import { defineFunction } from '../../server/handler';

/** A learner reports a lesson, a review, a check-in or a homework (domain/moderation/reports.ts). */
export const main = defineFunction({
  input: reportContentRequest,
  caller: 'learner',
  run: (input, { caller, db, now }) => reportContent(db, caller.openid!, input, now),
});
