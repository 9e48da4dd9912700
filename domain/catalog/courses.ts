import { pageOf, type Database } from '../../server/database';
import { accessTo, entitlementsFor } from '../access/entitlements';
import type { CourseCard, CourseDetail, ListCoursesResponse, ReviewView } from '../contracts/catalog';
import type { listCoursesRequest } from '../contracts/catalog';
import type * as z from '../contracts/schema';
import { DomainError } from '../errors';
import { quote } from '../pricing/quote';
import { pricingCourseIds } from '../pricing/rules';
import type { Course, Review } from './model';
import { scheduledOutline } from './schedule';

export const COURSES = 'courses';
export const REVIEWS = 'reviews';
const LATEST_REVIEWS = 5;

/** The fields a card needs: lists read only these, never the outline. */
export const CARD_FIELDS = {
  title: true,
  subtitle: true,
  cover: true,
  form: true,
  tier: true,
  lecturer: true,
  price: true,
  stats: true,
  lessonCount: true,
} as const;

type CardSource = Pick<Course, '_id' | 'title' | 'subtitle' | 'cover' | 'form' | 'tier' | 'lecturer' | 'price' | 'stats' | 'lessonCount'>;

export function toCard(course: CardSource): CourseCard {
  const { ratingSum, ratingCount, sales } = course.stats;
  return {
    id: course._id,
    title: course.title,
    subtitle: course.subtitle,
    cover: course.cover,
    form: course.form,
    tier: course.tier,
    lecturerName: course.lecturer.name,
    price: course.price.amount,
    ...(course.price.originalAmount ? { originalPrice: course.price.originalAmount } : {}),
    ...(course.price.groupBuy ? { groupBuy: { price: course.price.groupBuy.amount, size: course.price.groupBuy.size } } : {}),
    includedInMembership: course.price.includedInMembership,
    sales,
    rating: ratingCount ? Math.round((ratingSum / ratingCount) * 10) / 10 : null,
    lessonCount: course.lessonCount,
  };
}

const SORTS: Record<z.output<typeof listCoursesRequest>['sort'], [string, 'asc' | 'desc']> = {
  popular: ['stats.sales', 'desc'],
  new: ['publishedAt', 'desc'],
  price_asc: ['price.amount', 'asc'],
  price_desc: ['price.amount', 'desc'],
};

export const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** What a keyword is matched against: title, subtitle and the lecturer's name, lower-cased. */
export const searchTextOf = (course: Pick<Course, 'title' | 'subtitle' | 'lecturer'>) => [course.title, course.subtitle, course.lecturer.name].join(' ').toLowerCase();

/** Published courses of a category or matching a keyword, one page, in one request. */
export async function listCourses(db: Database, req: z.output<typeof listCoursesRequest>): Promise<ListCoursesResponse> {
  const where: Record<string, unknown> = { status: 'published' };
  if (req.categoryId) where.categoryId = req.categoryId;
  if (req.keyword) where.searchText = db.RegExp({ regexp: escapeRegExp(req.keyword.toLowerCase()), options: '' });
  const [field, order] = SORTS[req.sort];
  const { items, page, hasMore } = await pageOf(
    db
      .collection<Course>(COURSES)
      .where(where)
      .orderBy(field, order)
      .orderBy('_id', 'asc')
      .field(CARD_FIELDS),
    req,
  );
  return { courses: items.map(toCard), page, hasMore };
}

/** A course's reviews anyone may read: those content security held are left out. */
export const publicReviews = (db: Database, courseId: string) => ({ courseId, visibility: db.command.neq('held') });

export const toReviewView = (r: Review): ReviewView => ({ id: r.publicId, nickname: r.nickname, rating: r.rating, content: r.content, createdAt: r.createdAt });

/** The published course and the caller's entitlements its access and price depend on (known from the course). */
async function courseWithEntitlements(db: Database, courseId: string, openid: string | undefined) {
  const course = (await db.collection<Course>(COURSES).where({ _id: courseId, status: 'published' }).get()).data[0];
  if (!course) throw new DomainError('NOT_FOUND', '课程不存在或已下架');
  return { course, entitlements: await entitlementsFor(db, openid, courseId, ...pricingCourseIds(course.price)) };
}

/**
 * A course page: the course (with the lecturer's card and the outline), its latest reviews, and what
 * the caller may do and would pay. Three requests: the course, the reviews, the caller's entitlements
 * (read after the course, since an upgrade price names the entry course to look for).
 */
export async function getCourseDetail(db: Database, courseId: string, openid: string | undefined, now: Date): Promise<CourseDetail> {
  const [{ course, entitlements }, reviews] = await Promise.all([
    courseWithEntitlements(db, courseId, openid),
    db.collection<Review>(REVIEWS).where(publicReviews(db, courseId)).orderBy('createdAt', 'desc').limit(LATEST_REVIEWS).get(),
  ]);
  const access = accessTo(course, entitlements, now);
  return {
    course: {
      ...toCard(course),
      lecturer: { id: course.lecturer._id, name: course.lecturer.name, title: course.lecturer.title, avatar: course.lecturer.avatar },
      outline: scheduledOutline(course, now),
      refundRule: course.refundRule,
      ...(course.schedule ? { schedule: course.schedule } : {}),
      durationSec: course.durationSec,
      ratingCount: course.stats.ratingCount,
    },
    latestReviews: reviews.data.map(toReviewView),
    viewer: { access, quote: quote(course, entitlements, now) },
  };
}
