import { requestWithdrawalRequest } from '../../domain/contracts/distribution';
import { requestWithdrawal } from '../../domain/distribution/wallet';
import { defineFunction } from '../../server/handler';

/** The promoter asks for everything withdrawable now; staff pay it outside the product. */
export const main = defineFunction({
  input: requestWithdrawalRequest,
  caller: 'learner',
  run: (_input, { caller, db, now }) => requestWithdrawal(db, caller.openid!, now),
});
