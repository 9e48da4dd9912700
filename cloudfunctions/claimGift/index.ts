import { claimGiftRequest } from '../../domain/contracts/gifts';
import { claimGift } from '../../domain/gifts/gifts';
import { defineFunction } from '../../server/handler';

export const main = defineFunction({
  input: claimGiftRequest,
  caller: 'learner',
  run: ({ giftId }, { caller, db, now }) => claimGift(db, caller.openid!, giftId, now),
});
