import { settleOrdersRequest } from '../../domain/contracts/orders';
import { settleOrders } from '../../domain/orders/settle';
import { defineFunction } from '../../server/handler';

/**
 * Every minute: completes pending orders the provider reports paid whose callback never came, and closes
 * those left unpaid past the timeout (domain/orders/settle.ts).
 */
export const main = defineFunction({
  input: settleOrdersRequest,
  caller: 'platform',
  run: ({ reconcileAfterMs }, { db, payments, messages, now }) => settleOrders(db, payments, messages, now, reconcileAfterMs),
});
