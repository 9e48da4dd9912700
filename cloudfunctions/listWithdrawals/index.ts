import { listWithdrawalsRequest } from '../../domain/contracts/distribution';
import { listWithdrawals } from '../../domain/distribution/wallet';
import { defineFunction } from '../../server/handler';

/** The console's withdrawal queue. */
export const main = defineFunction({
  input: listWithdrawalsRequest,
  caller: { staff: 'withdrawals.review' },
  run: (input, { db }) => listWithdrawals(db, input),
});
