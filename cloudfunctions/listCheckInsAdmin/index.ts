import { listCommunityRequest } from '../../domain/contracts/moderation';
import { listCheckInsAdmin } from '../../domain/moderation/community';
import { defineFunction } from '../../server/handler';

/** Teachers' 打卡管理: every learner's check-in, shown or hidden, with its pictures. */
export const main = defineFunction({
  input: listCommunityRequest,
  caller: { staff: 'homework.review' },
  run: (input, { db, files }) => listCheckInsAdmin(db, files, input),
});
