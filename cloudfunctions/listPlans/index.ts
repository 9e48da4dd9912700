import { listPlansRequest } from '../../domain/contracts/membership';
import { listPlans } from '../../domain/membership/plans';
import { defineFunction } from '../../server/handler';

export const main = defineFunction({
  input: listPlansRequest,
  caller: 'any',
  run: (_input, { caller, db, now }) => listPlans(db, caller.openid, now),
});
