import { rebuildCatalogViewsRequest } from '../../domain/contracts/catalog';
import { rebuildHome } from '../../domain/catalog/home';
import { defineFunction } from '../../server/handler';

/**
 * Rebuilds the derived catalog views (the home snapshot). Whatever changes the catalog calls
 * `rebuildHome` itself; this timer also picks up changes made outside the product (a console import).
 */
export const main = defineFunction({
  input: rebuildCatalogViewsRequest,
  caller: 'platform',
  run: async (_input, { db, now }) => {
    const home = await rebuildHome(db, now);
    return { featured: home.featured.length, newest: home.newest.length };
  },
});
