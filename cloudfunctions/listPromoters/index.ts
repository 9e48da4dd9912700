import { listPromotersRequest } from '../../domain/contracts/distribution';
import { listPromoters } from '../../domain/distribution/wallet';
import { defineFunction } from '../../server/handler';

/** The console's promoters: who promotes, since when, and what they earned by status. */
export const main = defineFunction({
  input: listPromotersRequest,
  caller: { staff: 'campaigns.manage' },
  run: (input, { db }) => listPromoters(db, input),
});
