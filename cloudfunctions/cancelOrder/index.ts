import { cancelOrderRequest } from '../../domain/contracts/orders';
import { cancelOrder } from '../../domain/orders/close';
import { defineFunction } from '../../server/handler';

export const main = defineFunction({
  input: cancelOrderRequest,
  caller: 'learner',
  run: ({ orderId }, { caller, db, payments, now }) => cancelOrder(db, payments, caller.openid!, orderId, now),
});
