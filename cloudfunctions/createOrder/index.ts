import { createOrderRequest } from '../../domain/contracts/orders';
import { createOrder } from '../../domain/orders/create';
import { defineFunction } from '../../server/handler';

export const main = defineFunction({
  input: createOrderRequest,
  caller: 'learner',
  run: (input, { caller, db, payments, now }) => createOrder(db, payments, caller.openid!, input, now),
});
