import type { Access } from '../access/entitlements';
import type { ArticleNode } from '../catalog/article';
import type { Audience, CourseForm, CourseTier, LessonType, RefundRule, Schedule } from '../catalog/model';
import type { ScheduledChapter } from '../catalog/schedule';
import type { Quote } from '../pricing/quote';
import type { CourseProgress, ProgressView } from './learning';
import { paging } from './paging';
import { id } from './ids';
import * as z from './schema';


/** A course as lists show it. */
export interface CourseCard {
  id: string;
  title: string;
  subtitle: string;
  cover: string;
  form: CourseForm;
  tier: CourseTier;
  lecturerName: string;
  /** fen */
  price: number;
  originalPrice?: number;
  groupBuy?: { price: number; size: number };
  includedInMembership: boolean;
  sales: number;
  /** average rating to one decimal, null before the first review */
  rating: number | null;
  lessonCount: number;
}

export const getHomeRequest = z.strictObject({});
export type GetHomeRequest = z.infer<typeof getHomeRequest>;
export interface HomeView {
  banners: Array<{ image: string; courseId: string }>;
  categories: Array<{ id: string; name: string; audience: Audience }>;
  featured: CourseCard[];
  newest: CourseCard[];
}

/** A timer's event (`{Type, TriggerName, Time, Message}`) or nothing, when another function calls it. */
export const rebuildCatalogViewsRequest = z.object({});

export const COURSE_SORTS = ['popular', 'new', 'price_asc', 'price_desc'] as const;

export const listCoursesRequest = z.strictObject({
  categoryId: z.optional(id),
  /** matches title, subtitle and lecturer name */
  keyword: z.optional(z.string().check(z.trim(), z.minLength(1, '请输入关键词'), z.maxLength(30, '关键词最多 30 个字'))),
  sort: z._default(z.enum(COURSE_SORTS), 'popular'),
  ...paging,
});
export type ListCoursesRequest = z.input<typeof listCoursesRequest>;
export interface ListCoursesResponse {
  courses: CourseCard[];
  page: number;
  hasMore: boolean;
}

export interface ReviewView {
  id: string;
  nickname: string;
  rating: number;
  content: string;
  createdAt: Date;
}

export const getCourseRequest = z.strictObject({ courseId: id });
export type GetCourseRequest = z.infer<typeof getCourseRequest>;
export interface CourseDetail {
  course: CourseCard & {
    lecturer: { id: string; name: string; title: string; avatar: string };
    /** a camp's lessons still waiting for their day carry `opensAt` */
    outline: ScheduledChapter[];
    refundRule: RefundRule;
    schedule?: Schedule;
    durationSec: number;
    ratingCount: number;
  };
  latestReviews: ReviewView[];
  /** for the caller: how they may study it (null = not yet), and what they would pay */
  viewer: { access: Access; quote: Quote };
}

/** A media quality's id (`hd`, `sd`): one the lesson lists, else its default plays. */
export const qualityId = z.string().check(z.regex(/^[a-z0-9-]{1,16}$/, '清晰度不存在'));

export const getLessonRequest = z.strictObject({
  lessonId: id,
  /** the quality to play, when the lesson offers several (the learner's pick); its default otherwise */
  quality: z.optional(qualityId),
});
export type GetLessonRequest = z.input<typeof getLessonRequest>;
export interface LessonView {
  lesson: { id: string; courseId: string; title: string; type: LessonType; durationSec: number; trial: boolean };
  /**
   * 'trial' when studied as a free trial; 'locked' when the learner must buy first; 'scheduled' when the
   * learner holds the course but the camp opens the lesson later (`opensAt`): no content then
   */
  access: Exclude<Access, null> | 'trial' | 'locked' | 'scheduled';
  /** with 'scheduled': when the camp's schedule opens the lesson */
  opensAt?: Date;
  /** video and audio, and a live lesson's replay: a short-lived URL of the media (`quality`: which one, when it has several) */
  media?: { url: string; expiresAt: Date; quality?: string };
  /** the qualities the learner may switch between, best first (absent when there is one) */
  qualities?: Array<{ id: string; label: string }>;
  /** a plain article: paragraphs separated by blank lines */
  article?: string;
  /** an article written in the editor: whitelisted `<rich-text>` nodes, and the creator's highlights (本课重点) */
  articleNodes?: ArticleNode[];
  highlights?: string[];
  liveAt?: Date;
  /** a live lesson on 视频号: the channel, the live once known, and when it is planned to end */
  live?: { finderUserName: string; feedId?: string; endsAt: Date };
  /** for a learner who may study it: where they left off, and the state their player's first save sends back */
  progress?: ProgressView;
  /** paid media: what the player overlays (the learner's nickname and number, never the openid) */
  watermark?: string;
  /** the lesson after this one in the outline: the player goes on to it at the end */
  nextLessonId?: string;
  /** for a learner who may study it: the lesson's homework (its id is the lesson's), which the page links to */
  assignment?: { prompt: string };
}

/** `writeReview`: a learner who studies the course rates and reviews it; writing again replaces their review. */
export const writeReviewRequest = z.strictObject({
  courseId: id,
  rating: z.int().check(z.gte(1, '请给课程打 1 到 5 星'), z.lte(5, '请给课程打 1 到 5 星')),
  content: z.string().check(z.trim(), z.minLength(5, '评价至少写 5 个字'), z.maxLength(500, '评价最多 500 字')),
});
export type WriteReviewRequest = z.input<typeof writeReviewRequest>;
export interface WriteReviewResponse {
  review: ReviewView;
  /** the learner had reviewed the course before: this replaced it */
  replaced: boolean;
  /** waits for a person to look before others see it */
  held: boolean;
  /** why others still do not see it, for the learner: staff (or reports) took the review down, and a rewrite keeps it down */
  notice?: string;
}

export const listReviewsRequest = z.strictObject({
  courseId: id,
  ...paging,
});
export type ListReviewsRequest = z.input<typeof listReviewsRequest>;
export interface ListReviewsResponse {
  reviews: ReviewView[];
  page: number;
  hasMore: boolean;
}

/** `listMyCourses`: the courses the caller holds (bought, claimed as a gift, granted by staff, free and started), most recently added first, one page. */
export const listMyCoursesRequest = z.strictObject({
  ...paging,
});
export type ListMyCoursesRequest = z.input<typeof listMyCoursesRequest>;
export interface ListMyCoursesResponse {
  /** `via`: how the caller came to hold it (an order, a gift, staff, a free course they started) */
  courses: Array<CourseCard & { addedAt: Date; via: 'order' | 'gift' | 'admin' | 'free'; progress: CourseProgress }>;
  page: number;
  hasMore: boolean;
  /** on the first page, when the caller holds an active membership (member-included courses open too) */
  membership?: { expiresAt?: Date };
}
