import { listHomeworkRequest } from '../../domain/contracts/homework';
import { listHomework } from '../../domain/learning/homework';
import { defineFunction } from '../../server/handler';

/** The teachers' queue: homework waiting for a grade, oldest first. */
export const main = defineFunction({
  input: listHomeworkRequest,
  caller: { staff: 'homework.review' },
  run: (input, { db, files }) => listHomework(db, files, input),
});
