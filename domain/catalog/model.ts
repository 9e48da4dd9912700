/**
 * The catalog as stored: what a school sells and teaches. Money is in fen (integer), times are Dates,
 * media are cloud storage file IDs (never public URLs: a paid file is handed out only as a short-lived
 * URL by a function that checked the learner's access).
 */

/** Who a category serves (product.md: office workers, students, hobbyists). */
export type Audience = 'office' | 'exam' | 'hobby';

export interface Category {
  _id: string;
  name: string;
  audience: Audience;
  /** position in the category list, ascending */
  order: number;
}

export interface Lecturer {
  _id: string;
  name: string;
  /** one line under the name, e.g. "前麦肯锡顾问 · 10 年职场培训" */
  title: string;
  bio: string;
  avatar: string;
}

export type CourseForm = 'video' | 'audio' | 'article' | 'live' | 'camp';
export type LessonType = 'video' | 'audio' | 'article' | 'live';
export type CourseStatus = 'draft' | 'published' | 'offline';
/** Tiered pricing: a cheap entry course that leads to a premium advanced one. */
export type CourseTier = 'entry' | 'advanced';

export interface PriceModel {
  /** one-off price in fen; 0 = free */
  amount: number;
  /** the list price shown struck through, when the course is on sale */
  originalAmount?: number;
  /** members learn it at no extra cost */
  includedInMembership: boolean;
  /** what an active member pays, for a course not included in membership */
  memberAmount?: number;
  /** tiered pricing, on an advanced course: a learner who holds the entry course `fromCourseId` pays `amount` */
  upgrade?: { fromCourseId: string; amount: number };
  /** group-buy: `size` learners each pay `amount` */
  groupBuy?: { amount: number; size: number };
}

/** Shown before purchase; a refund request outside it is refused. */
export interface RefundRule {
  /** days after purchase */
  withinDays: number;
  /** at most this share of the course consumed, 0-1 */
  maxProgress: number;
}

/** A lesson as the outline lists it: no media, so the course document can be shown to anyone. */
export interface OutlineLesson {
  id: string;
  title: string;
  type: LessonType;
  durationSec: number;
  /** free trial: anyone may study it */
  trial: boolean;
}

export interface Chapter {
  title: string;
  lessons: OutlineLesson[];
}

/** Camps and live courses run on dates. */
export interface Schedule {
  startAt: Date;
  endAt: Date;
  sessions: Array<{ title: string; startAt: Date; durationMin: number }>;
}

export interface Course {
  _id: string;
  title: string;
  subtitle: string;
  cover: string;
  categoryId: string;
  /** the lecturer's card, copied here so a course page needs no second read */
  lecturer: Pick<Lecturer, '_id' | 'name' | 'title' | 'avatar'>;
  form: CourseForm;
  tier: CourseTier;
  price: PriceModel;
  refundRule: RefundRule;
  status: CourseStatus;
  outline: Chapter[];
  lessonCount: number;
  durationSec: number;
  schedule?: Schedule;
  /** counters kept by the order and review flows */
  stats: { sales: number; ratingSum: number; ratingCount: number };
  /** lower-cased title, subtitle and lecturer name, for keyword search */
  searchText: string;
  /** editor's pick, shown on the home page */
  featured: boolean;
  publishedAt: Date;
  updatedAt: Date;
}

/** A lesson with its content: read only by functions that checked access (or the trial flag). */
export interface Lesson {
  _id: string;
  courseId: string;
  chapterIndex: number;
  /** position within the course, from 0 */
  order: number;
  title: string;
  type: LessonType;
  durationSec: number;
  trial: boolean;
  /** video or audio lessons */
  media?: { fileId: string };
  /** article lessons: the text (paragraphs separated by blank lines) */
  article?: string;
  /** live lessons: when it starts */
  liveAt?: Date;
}

export interface Review {
  _id: string;
  courseId: string;
  openid: string;
  nickname: string;
  /** 1-5 */
  rating: number;
  content: string;
  createdAt: Date;
  /** `held`: content security wants a person to look first; absent (demo, imported) or `visible`: public */
  visibility?: 'visible' | 'held';
  /** set when the learner rewrote it */
  updatedAt?: Date;
}

export interface Banner {
  _id: string;
  image: string;
  /** the course it opens */
  courseId: string;
  order: number;
}
