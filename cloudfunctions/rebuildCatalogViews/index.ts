import { rebuildCatalogViewsRequest } from '../../domain/contracts/catalog';
import { rebuildHome } from '../../domain/catalog/home';
import { countSales } from '../../domain/catalog/sales';
import { defineFunction } from '../../server/handler';

/**
 * Adds the courses sold since the last run to their sales counters, then rebuilds the derived catalog
 * views (the home snapshot, whose featured courses are ordered by sales). Whatever changes the catalog
 * calls `rebuildHome` itself; this timer also picks up changes made outside the product (a console import).
 */
export const main = defineFunction({
  input: rebuildCatalogViewsRequest,
  caller: 'platform',
  run: async (_input, { db, now }) => {
    const { sold } = await countSales(db, now);
    const home = await rebuildHome(db, now);
    return { sold, featured: home.featured.length, newest: home.newest.length };
  },
});
