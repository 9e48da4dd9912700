import { getHomeworkRequest } from '../../domain/contracts/homework';
import { getHomework } from '../../domain/learning/homework';
import { defineFunction } from '../../server/handler';

/** The homework page: the assignment, the learner's own homework and the examples teachers picked. */
export const main = defineFunction({
  input: getHomeworkRequest,
  caller: 'learner',
  run: (input, { caller, db, files, now }) => getHomework(db, files, caller.openid!, input, now),
});
