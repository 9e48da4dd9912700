import { checkInRequest } from '../../domain/contracts/learning';
import { checkIn } from '../../domain/learning/checkins';
import { defineFunction } from '../../server/handler';

/** The learner checks in today in a course they study (domain/learning/checkins.ts). */
export const main = defineFunction({
  input: checkInRequest,
  caller: 'learner',
  run: (input, { caller, db, files, security, now }) => checkIn(db, files, security, caller.openid!, input, now),
});
