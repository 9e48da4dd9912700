import { saveBannerRequest } from '../../domain/contracts/catalog-admin';
import { saveBanner } from '../../domain/catalog/settings';
import { defineFunction } from '../../server/handler';

/** Creates or replaces a home page banner (domain/catalog/settings.ts). */
export const main = defineFunction({
  input: saveBannerRequest,
  caller: { staff: 'catalog.edit' },
  run: (input, { caller, db, now }) => saveBanner(db, caller.staff!, input, now),
});
