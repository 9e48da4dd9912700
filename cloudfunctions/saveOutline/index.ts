import { saveOutlineRequest } from '../../domain/contracts/catalog-admin';
import { saveOutline } from '../../domain/catalog/outline';
import { defineFunction } from '../../server/handler';

/** Saves a course's whole outline and its lessons' content, all or nothing (domain/catalog/outline.ts). */
export const main = defineFunction({
  input: saveOutlineRequest,
  caller: { staff: 'catalog.edit' },
  run: (input, { caller, db, now }) => saveOutline(db, caller.staff!, input, now),
});
