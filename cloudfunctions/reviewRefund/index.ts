import { reviewRefundRequest } from '../../domain/contracts/refunds';
import { reviewRefund } from '../../domain/refunds/review';
import { defineFunction } from '../../server/handler';

/** Staff approve (the provider's refund follows) or reject a refund request, or refund an order on their own. */
export const main = defineFunction({
  input: reviewRefundRequest,
  caller: { staff: 'refunds.review' },
  run: (input, { caller, db, payments, now }) => reviewRefund(db, payments, caller.staff!, input, now),
});
