import { getShareCodeRequest } from '../../domain/contracts/distribution';
import { getShareCode } from '../../domain/distribution/share';
import { defineFunction } from '../../server/handler';

/** A mini-program code carrying the learner's referral, for a poster (domain/distribution/share.ts). */
export const main = defineFunction({
  input: getShareCodeRequest,
  caller: 'learner',
  run: ({ courseId }, { caller, db, files, codes, now }) => getShareCode(db, files, codes, caller.openid!, courseId, now),
});
