import { listMyHomeworkRequest } from '../../domain/contracts/homework';
import { listMyHomework } from '../../domain/learning/homework';
import { defineFunction } from '../../server/handler';

/** 我的 > 作业: the learner's homework, newest first. */
export const main = defineFunction({
  input: listMyHomeworkRequest,
  caller: 'learner',
  run: (input, { caller, db }) => listMyHomework(db, caller.openid!, input),
});
