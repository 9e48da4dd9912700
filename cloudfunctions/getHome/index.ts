import { getHomeRequest } from '../../domain/contracts/catalog';
import { getHome } from '../../domain/catalog/home';
import { defineFunction } from '../../server/handler';

export const main = defineFunction({
  input: getHomeRequest,
  caller: 'any',
  run: (_input, { db, now }) => getHome(db, now),
});
