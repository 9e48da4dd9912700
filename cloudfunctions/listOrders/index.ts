import { listOrdersRequest } from '../../domain/contracts/orders-admin';
import { listOrders } from '../../domain/orders/admin';
import { defineFunction } from '../../server/handler';

/** The console's order list: orders by learner, course, status, day range or number, newest first. */
export const main = defineFunction({
  input: listOrdersRequest,
  caller: { staff: 'orders.read' },
  run: (input, { db }) => listOrders(db, input),
});
