import { listCommunityRequest } from '../../domain/contracts/moderation';
import { listCheckInsAdmin } from '../../domain/moderation/community';
import { defineFunction } from '../../server/handler';

/** Teachers' 打卡管理: every learner's check-in (a teacher's: of the courses they teach), shown or hidden, with its pictures. */
export const main = defineFunction({
  input: listCommunityRequest,
  caller: { staff: 'homework.review' },
  run: (input, { caller, db, files }) => listCheckInsAdmin(db, files, input, caller.courseIds),
});
