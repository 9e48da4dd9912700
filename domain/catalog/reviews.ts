import type { Database } from '../../server/database';
import type { ListReviewsResponse, listReviewsRequest } from '../contracts/catalog';
import type * as z from '../contracts/schema';
import { REVIEWS, toReviewView } from './courses';
import type { Review } from './model';

/** A course's reviews, newest first, one page in one request (an unknown course has none). */
export async function listReviews(db: Database, req: z.output<typeof listReviewsRequest>): Promise<ListReviewsResponse> {
  // One more than a page tells whether another page exists, without a count.
  const { data } = await db
    .collection<Review>(REVIEWS)
    .where({ courseId: req.courseId })
    .orderBy('createdAt', 'desc')
    .orderBy('_id', 'asc')
    .skip((req.page - 1) * req.pageSize)
    .limit(req.pageSize + 1)
    .get();
  return { reviews: data.slice(0, req.pageSize).map(toReviewView), page: req.page, hasMore: data.length > req.pageSize };
}
