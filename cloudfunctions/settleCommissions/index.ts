import { settleCommissionsRequest } from '../../domain/contracts/distribution';
import { settleCommissions } from '../../domain/distribution/commissions';
import { defineFunction } from '../../server/handler';

/** Every 10 minutes: commissions past their refund window become withdrawable; invitation rewards are given. */
export const main = defineFunction({
  input: settleCommissionsRequest,
  caller: 'platform',
  run: (_input, { db, now }) => settleCommissions(db, now),
});
