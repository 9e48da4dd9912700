import { listHomeworkRequest } from '../../domain/contracts/homework';
import { listHomework } from '../../domain/learning/homework';
import { defineFunction } from '../../server/handler';

/** The teachers' queue: homework waiting for a grade, oldest first (a teacher's: of the courses they teach). */
export const main = defineFunction({
  input: listHomeworkRequest,
  caller: { staff: 'homework.review' },
  run: (input, { caller, db, files }) => listHomework(db, files, input, caller.courseIds),
});
