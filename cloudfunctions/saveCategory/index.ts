import { saveCategoryRequest } from '../../domain/contracts/catalog-admin';
import { saveCategory } from '../../domain/catalog/settings';
import { defineFunction } from '../../server/handler';

/** Creates or replaces a course category (domain/catalog/settings.ts). */
export const main = defineFunction({
  input: saveCategoryRequest,
  caller: { staff: 'catalog.edit' },
  run: (input, { caller, db, now }) => saveCategory(db, caller.staff!, input, now),
});
