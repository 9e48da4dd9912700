import { listRefundRequestsRequest } from '../../domain/contracts/refunds';
import { listRefundRequests } from '../../domain/refunds/review';
import { defineFunction } from '../../server/handler';

/** Staff's queue: refund requests to review (or money to give back, refunds under way), oldest first. */
export const main = defineFunction({
  input: listRefundRequestsRequest,
  caller: { staff: 'refunds.review' },
  run: (input, { db }) => listRefundRequests(db, input),
});
