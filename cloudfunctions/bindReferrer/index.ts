import { bindReferrerRequest } from '../../domain/contracts/distribution';
import { bindReferrer } from '../../domain/distribution/promoters';
import { defineFunction } from '../../server/handler';

/** A learner opened a share: bound to its sharer unless still bound to another (domain/distribution/promoters.ts). */
export const main = defineFunction({
  input: bindReferrerRequest,
  caller: 'learner',
  run: ({ code }, { caller, db, now }) => bindReferrer(db, caller.openid!, code, now),
});
