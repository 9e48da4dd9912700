import { getMyOrderRequest } from '../../domain/contracts/orders';
import { getMyOrder } from '../../domain/orders/list';
import { defineFunction } from '../../server/handler';

export const main = defineFunction({
  input: getMyOrderRequest,
  caller: 'learner',
  run: ({ orderId }, { caller, db, now }) => getMyOrder(db, caller.openid!, orderId, now),
});
