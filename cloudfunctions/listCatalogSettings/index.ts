import { listCatalogSettingsRequest } from '../../domain/contracts/catalog-admin';
import { listCatalogSettings } from '../../domain/catalog/settings';
import { defineFunction } from '../../server/handler';

/** Every lecturer, category, banner and membership plan, for the console (domain/catalog/settings.ts). */
export const main = defineFunction({
  input: listCatalogSettingsRequest,
  caller: { staff: 'catalog.edit' },
  run: (_input, { db }) => listCatalogSettings(db),
});
