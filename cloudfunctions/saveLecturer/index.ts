import { saveLecturerRequest } from '../../domain/contracts/catalog-admin';
import { saveLecturer } from '../../domain/catalog/settings';
import { defineFunction } from '../../server/handler';

/** Creates or replaces a lecturer, refreshing the card their courses carry (domain/catalog/settings.ts). */
export const main = defineFunction({
  input: saveLecturerRequest,
  caller: { staff: 'catalog.edit' },
  run: (input, { caller, db, now }) => saveLecturer(db, caller.staff!, input, now),
});
