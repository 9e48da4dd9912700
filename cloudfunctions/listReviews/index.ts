import { listReviewsRequest } from '../../domain/contracts/catalog';
import { listReviews } from '../../domain/catalog/reviews';
import { defineFunction } from '../../server/handler';

export const main = defineFunction({
  input: listReviewsRequest,
  caller: 'any',
  run: (input, { db }) => listReviews(db, input),
});
