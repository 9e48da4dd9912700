import { deleteCatalogEntryRequest } from '../../domain/contracts/catalog-admin';
import { deleteCatalogEntry } from '../../domain/catalog/settings';
import { defineFunction } from '../../server/handler';

/** Deletes a banner, or a category, lecturer or plan nothing uses any more (domain/catalog/settings.ts). */
export const main = defineFunction({
  input: deleteCatalogEntryRequest,
  caller: { staff: 'catalog.edit' },
  run: (input, { caller, db, now }) => deleteCatalogEntry(db, caller.staff!, input, now),
});
