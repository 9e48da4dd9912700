import { pageOf, readIfExists, type Database, type Transaction } from '../../server/database';
import type { ContentSecurity } from '../../server/security';
import { studiedCourse } from '../access/study';
import type { ListReviewsResponse, listReviewsRequest, writeReviewRequest, WriteReviewResponse } from '../contracts/catalog';
import type { Takedown } from '../contracts/moderation';
import type * as z from '../contracts/schema';
import { DomainError } from '../errors';
import { publicIdOf, queueHeldItem } from '../moderation/queue';
import { USERS } from '../users/profile';
import { COURSES, publicReviews, REVIEWS, toReviewView } from './courses';
import type { Course, Review } from './model';

/** A course's reviews, newest first, one page in one request (an unknown course has none). */
export async function listReviews(db: Database, req: z.output<typeof listReviewsRequest>): Promise<ListReviewsResponse> {
  const { items, page, hasMore } = await pageOf(
    db
      .collection<Review>(REVIEWS)
      .where(publicReviews(db, req.courseId))
      .orderBy('createdAt', 'desc')
      .orderBy('_id', 'asc'),
    req,
  );
  return { reviews: items.map(toReviewView), page, hasMore };
}

/** What a review adds to its course's rating: nothing while it is held. */
const counted = (r: Pick<Review, 'rating' | 'visibility'> | null) => (r && r.visibility !== 'held' ? { sum: r.rating, count: 1 } : { sum: 0, count: 0 });

/** Moves a course's rating by what a review now adds against what it added before, without reading the other reviews. */
async function moveRating(tx: Transaction, db: Database, courseId: string, added: { sum: number; count: number }, removed: { sum: number; count: number }) {
  const _ = db.command;
  await tx
    .collection<Course>(COURSES)
    .doc(courseId)
    .update({ data: { stats: { ratingSum: _.inc(added.sum - removed.sum), ratingCount: _.inc(added.count - removed.count) } } });
}

/**
 * Takes a review down (`held`, saying who or what did) or shows it again (no takedown), moving its course's
 * rating with it: staff's decision, or reports reaching the threshold.
 */
export async function setReviewTakedown(tx: Transaction, db: Database, reviewId: string, takedown: Takedown | null): Promise<void> {
  const review = await readIfExists<Omit<Review, '_id'>>(tx, REVIEWS, reviewId);
  if (!review) return;
  const visibility = takedown ? 'held' : 'visible';
  await tx
    .collection(REVIEWS)
    .doc(reviewId)
    .update({ data: { visibility, takedown: takedown ?? db.command.remove() } });
  if ((review.visibility ?? 'visible') !== visibility) await moveRating(tx, db, review.courseId, counted({ ...review, visibility }), counted(review));
}

/** What the learner who rewrote a review that was taken down is told: it stays hidden. */
const TAKEDOWN_NOTICES: Record<Takedown['by'], string> = {
  staff: '你的评价已被管理员隐藏，修改后仍不公开',
  reports: '你的评价被多位学员举报，管理员处理前修改后仍不公开',
};

/**
 * A learner who may study a course rates and reviews it, once: writing again replaces their review
 * (`<openid>:<courseId>`). The content goes through WeChat content security (scene 2, a comment): risky is
 * refused, doubtful is kept but shown to its author only until a person decides. The course's rating
 * (`stats.ratingSum`, `stats.ratingCount`) moves by what the review adds against what it replaces, in the
 * review's transaction, without reading the other reviews. A review staff (or reports) took down stays
 * down whatever the learner writes: the words are saved, and the learner is told (`notice`).
 *
 * Requests: the course, the entitlements and the learner's profile at once; then begin, the earlier review,
 * the review's write, the course's counters, commit: 8.
 */
export async function writeReview(db: Database, security: ContentSecurity, openid: string, req: z.output<typeof writeReviewRequest>, now: Date): Promise<WriteReviewResponse> {
  const [, users] = await Promise.all([
    studiedCourse(db, openid, req.courseId, now, '学习这门课程后才能评价'),
    db.collection<{ nickname?: string }>(USERS).where({ _id: openid }).field({ nickname: true }).get(),
  ]);
  const verdict = await security.checkText(openid, req.content, 2);
  if (verdict === 'risky') throw new DomainError('CONTENT_REJECTED', '评价内容可能包含违规信息，请修改后再提交');
  const id = `${openid}:${req.courseId}`;
  return db.runTransaction(async (tx) => {
    const earlier = await readIfExists<Omit<Review, '_id'>>(tx, REVIEWS, id);
    // Only staff show a taken-down review again: a rewrite, however clean, must not undo their decision.
    const takedown = earlier?.takedown;
    const review: Omit<Review, '_id'> = {
      publicId: publicIdOf(id),
      courseId: req.courseId,
      openid,
      nickname: users.data[0]?.nickname || '学员',
      rating: req.rating,
      content: req.content,
      createdAt: earlier?.createdAt ?? now,
      visibility: verdict === 'pass' && !takedown ? 'visible' : 'held',
      ...(takedown ? { takedown } : {}),
      ...(earlier ? { updatedAt: now } : {}),
    };
    await tx.collection<Omit<Review, '_id'>>(REVIEWS).doc(id).set({ data: review });
    await moveRating(tx, db, req.courseId, counted(review), counted(earlier));
    // A taken-down review is with staff already (or decided by them): doubtful words do not queue it again.
    if (verdict !== 'pass' && !takedown) await queueHeldItem(tx, { kind: 'review', itemId: review.publicId, courseId: req.courseId, excerpt: review.content }, now);
    return {
      review: toReviewView({ _id: id, ...review }),
      replaced: earlier !== null,
      held: review.visibility === 'held',
      ...(takedown ? { notice: TAKEDOWN_NOTICES[takedown.by] } : {}),
    };
  });
}
