import { listCommunityRequest } from '../../domain/contracts/moderation';
import { listReviewsAdmin } from '../../domain/moderation/community';
import { defineFunction } from '../../server/handler';

/** Staff's 评价管理: every learner's review, shown or hidden. */
export const main = defineFunction({
  input: listCommunityRequest,
  caller: { staff: 'reports.resolve' },
  run: (input, { db }) => listReviewsAdmin(db, input),
});
