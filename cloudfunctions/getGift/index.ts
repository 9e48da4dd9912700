import { getGiftRequest } from '../../domain/contracts/gifts';
import { getGift } from '../../domain/gifts/gifts';
import { defineFunction } from '../../server/handler';

export const main = defineFunction({
  input: getGiftRequest,
  caller: 'learner',
  run: ({ giftId }, { caller, db }) => getGift(db, caller.openid!, giftId),
});
