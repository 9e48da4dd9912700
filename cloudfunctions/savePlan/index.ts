import { savePlanRequest } from '../../domain/contracts/catalog-admin';
import { savePlan } from '../../domain/catalog/settings';
import { defineFunction } from '../../server/handler';

/** Creates or replaces a membership plan (domain/catalog/settings.ts). */
export const main = defineFunction({
  input: savePlanRequest,
  caller: { staff: 'catalog.edit' },
  run: (input, { caller, db, now }) => savePlan(db, caller.staff!, input, now),
});
