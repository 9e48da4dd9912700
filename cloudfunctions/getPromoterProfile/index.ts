import { getPromoterProfileRequest } from '../../domain/contracts/distribution';
import { getPromoterProfile } from '../../domain/distribution/promoters';
import { defineFunction } from '../../server/handler';

/** Whether the learner promotes (and their code), or may join. */
export const main = defineFunction({
  input: getPromoterProfileRequest,
  caller: 'learner',
  run: (_input, { caller, db }) => getPromoterProfile(db, caller.openid!),
});
