import { moderateContentRequest } from '../../domain/contracts/moderation';
import { moderateContent } from '../../domain/moderation/reports';
import { defineFunction } from '../../server/handler';

/** Teachers hide a check-in of a course they teach from the course's learners, or show it again, reported or not. */
export const main = defineFunction({
  input: moderateContentRequest,
  caller: { staff: 'homework.review' },
  run: (input, { caller, db, now }) => moderateContent(db, caller.staff!, 'checkin', input, now, caller.courseIds),
});
