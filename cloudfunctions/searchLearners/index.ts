import { searchLearnersRequest } from '../../domain/contracts/learners';
import { searchLearners } from '../../domain/users/learners';
import { defineFunction } from '../../server/handler';

/** The console's learner search: by nickname or openid prefix, most recently seen first. */
export const main = defineFunction({
  input: searchLearnersRequest,
  caller: { staff: 'learners.read' },
  run: (input, { db }) => searchLearners(db, input),
});
