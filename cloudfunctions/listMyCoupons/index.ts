import { listMyCouponsRequest } from '../../domain/contracts/coupons';
import { listMyCoupons } from '../../domain/coupons/claim';
import { defineFunction } from '../../server/handler';

/** The learner's coupons, usable first (domain/coupons/claim.ts). */
export const main = defineFunction({
  input: listMyCouponsRequest,
  caller: 'learner',
  run: (input, { caller, db, now }) => listMyCoupons(db, caller.openid!, input, now),
});
