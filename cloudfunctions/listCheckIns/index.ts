import { listCheckInsRequest } from '../../domain/contracts/learning';
import { listCheckIns } from '../../domain/learning/checkins';
import { defineFunction } from '../../server/handler';

/** The 打卡 page of a course: the learner's tally and the latest check-ins (domain/learning/checkins.ts). */
export const main = defineFunction({
  input: listCheckInsRequest,
  caller: 'learner',
  run: ({ courseId }, { caller, db, files, now }) => listCheckIns(db, files, caller.openid!, courseId, now),
});
