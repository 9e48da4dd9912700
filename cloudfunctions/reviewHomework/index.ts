import { reviewHomeworkRequest } from '../../domain/contracts/homework';
import { reviewHomework } from '../../domain/learning/homework';
import { defineFunction } from '../../server/handler';

/** A teacher grades a homework of a course they teach; the learner is told (domain/learning/homework.ts). */
export const main = defineFunction({
  input: reviewHomeworkRequest,
  caller: { staff: 'homework.review' },
  run: (input, { caller, db, files, messages, now }) => reviewHomework(db, files, messages, caller.staff!, input, now, caller.courseIds),
});
