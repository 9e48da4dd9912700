import { joinPromotersRequest } from '../../domain/contracts/distribution';
import { joinPromoters } from '../../domain/distribution/promoters';
import { defineFunction } from '../../server/handler';

/** The learner becomes a promoter under the school's rule. */
export const main = defineFunction({
  input: joinPromotersRequest,
  caller: 'learner',
  run: (_input, { caller, db, now }) => joinPromoters(db, caller.openid!, now),
});
