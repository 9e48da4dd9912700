import { id } from './ids';
import { paging } from './paging';
import * as z from './schema';

export const REPORT_KINDS = ['lesson', 'review', 'homework', 'checkin'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];

/** spam 广告, abuse 辱骂, porn 色情, illegal 违法, fraud 诈骗, copyright 侵权, other 其他 */
export const REPORT_REASONS = ['spam', 'abuse', 'porn', 'illegal', 'fraud', 'copyright', 'other'] as const;
export type ReportReason = (typeof REPORT_REASONS)[number];

/**
 * - open: waits for staff (hidden meanwhile once reported by enough learners, or held by content security)
 * - hidden: staff took it down
 * - kept: staff looked and kept it; more reports do not hide it again
 */
export type ItemStatus = 'open' | 'hidden' | 'kept';

/**
 * Why a learner's review or check-in stays hidden whatever its author writes next, until staff show it again:
 * staff hid it (who, when), or enough learners reported it (while staff have not decided).
 */
/**
 * Who took an item down, and when: staff, or reports reaching the threshold. Kept on the item, which its
 * learner may read: which staff member did is in the audit log, not here.
 */
export type Takedown = { by: 'staff' | 'reports'; at: Date };

/** What others see an item by: a lesson's id, or the public id of a review, a check-in or a homework. */
const itemId = z.string().check(z.minLength(1), z.maxLength(64), z.regex(/^[A-Za-z0-9_-]+$/, '内容编号格式不正确'));

/** `reportContent`: a learner reports what they can see (举报), once per item. */
export const reportContentRequest = z.strictObject({
  kind: z.enum(REPORT_KINDS, '不支持举报这类内容'),
  id: itemId,
  reason: z.enum(REPORT_REASONS, '请选择举报原因'),
  note: z.optional(z.string().check(z.trim(), z.maxLength(200, '补充说明最多 200 字'))),
});
export type ReportContentRequest = z.input<typeof reportContentRequest>;
export interface ReportContentResponse {
  /** false when the learner had reported it already: nothing changed */
  added: boolean;
  /** this report hid the item until staff decide */
  hidden: boolean;
}

/** `listReports` (staff): the queue of reported and held items. */
export const listReportsRequest = z.strictObject({ status: z._default(z.enum(['open', 'hidden', 'kept']), 'open'), ...paging });
export type ListReportsRequest = z.input<typeof listReportsRequest>;
/** An item of staff's queue: what it is, how often and why it was reported, and where it stands. */
export interface ReportLine {
  kind: ReportKind;
  /** the item's public id (a lesson's is its id) */
  itemId: string;
  courseId: string;
  /** the beginning of its text */
  excerpt: string;
  /** learners who reported it */
  count: number;
  reasons: Partial<Record<ReportReason, number>>;
  /** content security held it before anyone reported it */
  heldBySecurity: boolean;
  /** hidden from learners until staff decide */
  hidden: boolean;
  status: ItemStatus;
  firstAt: Date;
  lastAt: Date;
}

export interface ListReportsResponse {
  items: ReportLine[];
  page: number;
  hasMore: boolean;
}

/** `resolveReport` (staff): take the item down, or keep it. */
export const resolveReportRequest = z.strictObject({ kind: z.enum(REPORT_KINDS), id: itemId, decision: z.enum(['hide', 'keep']) });
export type ResolveReportRequest = z.input<typeof resolveReportRequest>;
export interface ResolveReportResponse {
  status: Exclude<ItemStatus, 'open'>;
}

/** The learners' items staff look after outside the reports queue (评价 and 打卡 in the console). */
export type CommunityKind = Extract<ReportKind, 'review' | 'checkin'>;

/** `listReviewsAdmin`, `listCheckInsAdmin` (staff): every review or check-in, newest first, of one course and shown or hidden if asked. */
export const listCommunityRequest = z.strictObject({
  courseId: z.optional(id),
  status: z.optional(z.enum(['visible', 'hidden'], '状态只能是显示中或已隐藏')),
  ...paging,
});
export type ListCommunityRequest = z.input<typeof listCommunityRequest>;

/** What staff see of any learner's item: whose nickname, which course, and whether others see it. */
interface CommunityItem {
  /** its public id (what reports name it by) */
  id: string;
  courseId: string;
  /** absent when the course is gone */
  courseTitle?: string;
  nickname: string;
  createdAt: Date;
  /** others do not see it (staff or content security held it) */
  hidden: boolean;
  /** staff or reports took it down: it stays hidden whatever the learner writes until staff restore it */
  takedown?: Takedown;
}

export interface ReviewAdminView extends CommunityItem {
  rating: number;
  content: string;
}
export interface ListReviewsAdminResponse {
  items: ReviewAdminView[];
  page: number;
  hasMore: boolean;
}

export interface CheckInAdminView extends CommunityItem {
  text?: string;
  /** every picture's URL (short-lived), those content security has not passed yet included */
  images: string[];
  /** the Beijing day checked in, YYYY-MM-DD */
  day: string;
}
export interface ListCheckInsAdminResponse {
  items: CheckInAdminView[];
  page: number;
  hasMore: boolean;
}

/** `moderateReview`, `moderateCheckIn` (staff): hide any review or check-in from others, or show it again, reported or not. */
export const moderateContentRequest = z.strictObject({ id: itemId, decision: z.enum(['hide', 'restore'], '请选择隐藏或恢复') });
export type ModerateContentRequest = z.input<typeof moderateContentRequest>;
export interface ModerateContentResponse {
  hidden: boolean;
}
