import { searchLearnersRequest } from '../../domain/contracts/learners';
import { searchLearners } from '../../domain/users/learners';
import { defineFunction } from '../../server/handler';

/** The console's learner search: by nickname or openid prefix, most recently seen first (a teacher's: the learners of their courses). */
export const main = defineFunction({
  input: searchLearnersRequest,
  caller: { staff: 'learners.read' },
  run: (input, { caller, db }) => searchLearners(db, input, caller.courseIds),
});
