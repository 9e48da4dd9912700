import { requestRefundRequest } from '../../domain/contracts/refunds';
import { requestRefund } from '../../domain/refunds/request';
import { defineFunction } from '../../server/handler';

export const main = defineFunction({
  input: requestRefundRequest,
  caller: 'learner',
  run: (input, { caller, db, now }) => requestRefund(db, caller.openid!, input, now),
});
