import { listMyGiftsRequest } from '../../domain/contracts/gifts';
import { listMyGifts } from '../../domain/gifts/gifts';
import { defineFunction } from '../../server/handler';

export const main = defineFunction({
  input: listMyGiftsRequest,
  caller: 'learner',
  run: (input, { caller, db }) => listMyGifts(db, caller.openid!, input),
});
