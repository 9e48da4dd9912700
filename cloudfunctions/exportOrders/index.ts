import { exportOrdersRequest } from '../../domain/contracts/orders-admin';
import { exportOrders } from '../../domain/orders/admin';
import { defineFunction } from '../../server/handler';

/** The orders of the console's filters as a CSV file for Excel (capped: domain/orders/admin.ts). */
export const main = defineFunction({
  input: exportOrdersRequest,
  caller: { staff: 'orders.read' },
  run: (input, { db, now }) => exportOrders(db, input, now),
});
