import { saveProgressRequest } from '../../domain/contracts/learning';
import { saveProgress } from '../../domain/learning/save';
import { defineFunction } from '../../server/handler';

/** The player reports what the learner played of a lesson; the server credits it (domain/learning). */
export const main = defineFunction({
  input: saveProgressRequest,
  caller: 'learner',
  run: (input, { caller, db, files, now }) => saveProgress(db, files, caller.openid!, input, now),
});
