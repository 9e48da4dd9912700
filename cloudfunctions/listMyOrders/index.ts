import { listMyOrdersRequest } from '../../domain/contracts/orders';
import { listMyOrders } from '../../domain/orders/list';
import { defineFunction } from '../../server/handler';

export const main = defineFunction({
  input: listMyOrdersRequest,
  caller: 'learner',
  run: (req, { caller, db }) => listMyOrders(db, caller.openid!, req),
});
