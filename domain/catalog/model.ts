/**
 * The catalog as stored: what a school sells and teaches. Money is in fen (integer), times are Dates,
 * media are cloud storage file IDs (never public URLs: a paid file is handed out only as a short-lived
 * URL by a function that checked the learner's access).
 */
import type { Takedown } from '../contracts/moderation';

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
  /** group-buy: `size` learners each pay `amount`, all within `hours` of the first payment (default 24) */
  groupBuy?: { amount: number; size: number; hours?: number };
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

/** A dated session of a camp or live course: for a camp, one day of it. */
export interface ScheduleSession {
  title: string;
  startAt: Date;
  durationMin: number;
  /** the lessons this session opens: an entitled learner may study them from `startAt` on */
  lessonIds?: string[];
  /** the day's check-in task, shown on the 打卡 page */
  task?: string;
}

/** Camps and live courses run on dates. */
export interface Schedule {
  startAt: Date;
  endAt: Date;
  sessions: ScheduleSession[];
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
  /** when first published (a draft never published has none) */
  publishedAt?: Date;
  updatedAt: Date;
}

/** One rendition of a lesson's recording. */
export interface MediaQuality {
  /** what requests name it by: `hd`, `sd` */
  id: string;
  /** what the switch shows: 高清, 标清 */
  label: string;
  fileId: string;
}

/**
 * A lesson's recording. `fileId` plays unless the learner picks another quality (documents written before
 * qualities existed have only it); `qualities`, when the creator uploaded several renditions of the same
 * recording, lists them all, best first, `fileId`'s among them.
 */
export interface LessonMedia {
  fileId: string;
  qualities?: MediaQuality[];
}

/** A live lesson streamed on the creator's 视频号 (WeChat Channels), opened with `wx.openChannelsLive`. */
export interface LiveStream {
  /** the 视频号 id (`sph...`, from 视频号助手) */
  finderUserName: string;
  /** the live's feedId, once known; until then the page goes to the channel's current live */
  feedId?: string;
  /** the recording: once the live has started the lesson plays it as a recorded video */
  replay?: LessonMedia;
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
  media?: LessonMedia;
  /** article lessons: the text (paragraphs separated by blank lines) */
  article?: string;
  /**
   * article lessons written in the editor, shown instead of `article`: a restricted HTML of `<p>`, `<h2>`,
   * `<h3>`, `<strong>`/`<b>`, `<em>`/`<i>`, `<ul>`/`<ol>`/`<li>`, `<blockquote>`, `<br>`, `<img src="cloud://...">`
   * (a storage file ID) and `<mark>` for the creator's highlights (划重点). Nothing else reaches a learner:
   * domain/catalog/article.ts turns it into whitelisted rich-text nodes (no script, no event attributes, no URLs).
   */
  articleHtml?: string;
  /** live lessons: when it starts (reminders are timed by it) */
  liveAt?: Date;
  /** live lessons: the 视频号 live that streams it, and its replay */
  live?: LiveStream;
  /** `held`: reported by enough learners, out of their sight until staff decide (domain/moderation/reports.ts) */
  visibility?: 'visible' | 'held';
  /** homework the lesson asks for; the assignment's id is the lesson's */
  assignment?: Assignment;
}

/** What a homework may hold: text, up to `images` pictures, an audio recording. */
export interface Accepts {
  text: boolean;
  /** 0: no pictures */
  images: number;
  audio: boolean;
}

export interface Assignment {
  prompt: string;
  /** after it, nothing more is handed in */
  dueAt?: Date;
  accepts: Accepts;
}

export interface Review {
  _id: string;
  /** how others name it (reports) without the author's openid its `_id` holds */
  publicId: string;
  courseId: string;
  openid: string;
  nickname: string;
  /** 1-5 */
  rating: number;
  content: string;
  createdAt: Date;
  /** `held`: content security wants a person to look first, or it was taken down; absent (demo, imported) or `visible`: public */
  visibility?: 'visible' | 'held';
  /** staff or reports took it down: it stays `held` when the learner rewrites it, until staff show it again */
  takedown?: Takedown;
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
