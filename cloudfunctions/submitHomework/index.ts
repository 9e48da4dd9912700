import { submitHomeworkRequest } from '../../domain/contracts/homework';
import { submitHomework } from '../../domain/learning/homework';
import { defineFunction } from '../../server/handler';

/** The learner hands in a lesson's homework (domain/learning/homework.ts). */
export const main = defineFunction({
  input: submitHomeworkRequest,
  caller: 'learner',
  run: (input, { caller, db, files, security, now }) => submitHomework(db, files, security, caller.openid!, input, now),
});
