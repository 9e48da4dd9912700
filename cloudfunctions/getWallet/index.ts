import { getWalletRequest } from '../../domain/contracts/distribution';
import { getWallet } from '../../domain/distribution/wallet';
import { defineFunction } from '../../server/handler';

/** The promoter's balances, commissions and withdrawals. */
export const main = defineFunction({
  input: getWalletRequest,
  caller: 'learner',
  run: (input, { caller, db }) => getWallet(db, caller.openid!, input),
});
