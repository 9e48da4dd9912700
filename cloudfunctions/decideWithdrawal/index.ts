import { decideWithdrawalRequest } from '../../domain/contracts/distribution';
import { decideWithdrawal } from '../../domain/distribution/wallet';
import { defineFunction } from '../../server/handler';

/** Staff mark a withdrawal paid (transferred outside the product) or refuse it, audited. */
export const main = defineFunction({
  input: decideWithdrawalRequest,
  caller: { staff: 'withdrawals.review' },
  run: (input, { caller, db, now }) => decideWithdrawal(db, caller.staff!, input, now),
});
