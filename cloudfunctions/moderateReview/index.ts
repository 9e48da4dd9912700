import { moderateContentRequest } from '../../domain/contracts/moderation';
import { moderateContent } from '../../domain/moderation/reports';
import { defineFunction } from '../../server/handler';

/** Staff hide a review from others, or show it again, reported or not. */
export const main = defineFunction({
  input: moderateContentRequest,
  caller: { staff: 'reports.resolve' },
  run: (input, { caller, db, now }) => moderateContent(db, caller.staff!, 'review', input, now),
});
