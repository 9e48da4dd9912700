import { getOrderAdminRequest } from '../../domain/contracts/orders-admin';
import { getOrderAdmin } from '../../domain/orders/admin';
import { defineFunction } from '../../server/handler';

/** One order for staff: the order whole, its status history, incidents and audit entries. */
export const main = defineFunction({
  input: getOrderAdminRequest,
  caller: { staff: 'orders.read' },
  run: (input, { db }) => getOrderAdmin(db, input.orderId),
});
