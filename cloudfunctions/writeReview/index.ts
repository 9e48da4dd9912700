import { writeReviewRequest } from '../../domain/contracts/catalog';
import { writeReview } from '../../domain/catalog/reviews';
import { defineFunction } from '../../server/handler';

/** A learner who studies the course rates and reviews it (domain/catalog/reviews.ts). */
export const main = defineFunction({
  input: writeReviewRequest,
  caller: 'learner',
  run: (input, { caller, db, security, now }) => writeReview(db, security, caller.openid!, input, now),
});
