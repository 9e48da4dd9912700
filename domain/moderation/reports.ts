/**
 * Reports (举报): a learner reports a lesson, a review, a check-in or a homework shown to others, once per
 * item; an item reported by `reportThreshold` learners (cloud.config.json `moderation`) is hidden from
 * learners until staff decide. Staff work through one queue of reported and held items (listReports) and
 * hide or keep each (resolveReport).
 */
import { pageOf, readIfExists, type Database, type Transaction } from '../../server/database';
import { settings } from '../../server/settings';
import { studiedCourse } from '../access/study';
import { LESSONS } from '../catalog/lessons';
import type { Lesson, Review } from '../catalog/model';
import { REVIEWS } from '../catalog/courses';
import { setReviewTakedown } from '../catalog/reviews';
import type {
  CommunityKind,
  ItemStatus,
  listReportsRequest,
  ListReportsResponse,
  moderateContentRequest,
  ModerateContentResponse,
  reportContentRequest,
  ReportContentResponse,
  resolveReportRequest,
  ResolveReportResponse,
  Takedown,
} from '../contracts/moderation';
import type * as z from '../contracts/schema';
import { DomainError } from '../errors';
import { CHECKINS, type CheckInDay } from '../learning/checkins';
import { HOMEWORK, type Homework } from '../learning/homework';
import type { ReportKind } from '../contracts/moderation';
import { recordAudit, type StaffRef } from '../staff/audit';
import type { Action } from '../staff/roles';
import { requireInScope, type CourseScope } from '../staff/scope';
import { itemKey, queuedItem, REPORTS, type QueuedItem } from './queue';

/** An item as reports see it. */
interface Located {
  docId: string;
  courseId: string;
  /** whose it is (none for a lesson): nobody reports their own */
  author?: string;
  excerpt: string;
  /** others see it today */
  shown: boolean;
  /** anyone may see it (a review, a trial lesson); otherwise only the course's learners */
  public: boolean;
}

/**
 * What reports do to each kind of item: find it by its public id, hide it, show it again. A review or a
 * check-in keeps who or what hid it (`takedown`), so nothing its learner does shows it again before staff do.
 */
interface ReportTarget {
  locate(db: Database, itemId: string): Promise<Located | null>;
  hide(tx: Transaction, db: Database, docId: string, takedown: Takedown): Promise<void>;
  restore(tx: Transaction, db: Database, docId: string): Promise<void>;
}

const setVisibility = (collection: string) => (visibility: 'visible' | 'held') => async (tx: Transaction, _db: Database, docId: string) => {
  await tx.collection(collection).doc(docId).update({ data: { visibility } });
};

const TARGETS: Record<ReportKind, ReportTarget> = {
  lesson: {
    async locate(db, itemId) {
      const lesson = (await db.collection<Lesson>(LESSONS).where({ _id: itemId }).field({ courseId: true, title: true, trial: true, visibility: true }).get()).data[0];
      return lesson && { docId: lesson._id, courseId: lesson.courseId, excerpt: lesson.title, shown: lesson.visibility !== 'held', public: lesson.trial };
    },
    hide: setVisibility(LESSONS)('held'),
    restore: setVisibility(LESSONS)('visible'),
  },
  review: {
    async locate(db, itemId) {
      const review = (await db.collection<Review>(REVIEWS).where({ publicId: itemId }).get()).data[0];
      return review && { docId: review._id, courseId: review.courseId, author: review.openid, excerpt: review.content, shown: review.visibility !== 'held', public: true };
    },
    hide: setReviewTakedown,
    restore: (tx, db, docId) => setReviewTakedown(tx, db, docId, null),
  },
  checkin: {
    async locate(db, itemId) {
      const day = (await db.collection<CheckInDay>(CHECKINS).where({ publicId: itemId }).get()).data[0];
      return day && { docId: day._id, courseId: day.courseId, author: day.openid, excerpt: day.text ?? '[图片]', shown: day.visibility === 'visible', public: false };
    },
    async hide(tx, _db, docId, takedown) {
      await tx.collection(CHECKINS).doc(docId).update({ data: { visibility: 'held', takedown } });
    },
    async restore(tx, db, docId) {
      await tx.collection(CHECKINS).doc(docId).update({ data: { visibility: 'visible', takedown: db.command.remove() } });
    },
  },
  homework: {
    async locate(db, itemId) {
      const homework = (await db.collection<Homework>(HOMEWORK).where({ publicId: itemId }).get()).data[0];
      return (
        homework && {
          docId: homework._id,
          courseId: homework.courseId,
          author: homework.openid,
          excerpt: homework.text ?? '[图片/音频]',
          shown: homework.featured && homework.visibility === 'visible',
          public: false,
        }
      );
    },
    // A homework held by content security goes back to its learner, or on to the teachers.
    async hide(tx, _db, docId) {
      const homework = await readIfExists<Omit<Homework, '_id'>>(tx, HOMEWORK, docId);
      const returned = homework?.status === 'held' ? { status: 'returned', rejection: '作业内容未通过审核，请修改后重新提交' } : {};
      await tx.collection(HOMEWORK).doc(docId).update({ data: { visibility: 'held', ...returned } });
    },
    async restore(tx, _db, docId) {
      const homework = await readIfExists<Omit<Homework, '_id'>>(tx, HOMEWORK, docId);
      await tx.collection(HOMEWORK).doc(docId).update({ data: { visibility: 'visible', ...(homework?.status === 'held' ? { status: 'submitted' } : {}) } });
    },
  },
};

const reportKey = (kind: ReportKind, itemId: string, openid: string) => `report:${kind}:${itemId}:${openid}`;

/** One learner's report of one item. */
interface Report {
  _id: string;
  type: 'report';
  kind: ReportKind;
  itemId: string;
  openid: string;
  reason: string;
  note?: string;
  createdAt: Date;
}

/**
 * A learner reports what they can see: once per item (a second report changes nothing). The item is hidden
 * the moment `reportThreshold` learners reported it, unless staff already decided to keep it.
 *
 * Requests: the item (and the course and entitlements for what only the course's learners see); then begin,
 * the learner's report, the queue line, the report's insert, the line's write (and the item's, when it is
 * hidden now), commit.
 */
export async function reportContent(db: Database, openid: string, req: z.output<typeof reportContentRequest>, now: Date): Promise<ReportContentResponse> {
  const target = TARGETS[req.kind];
  const item = await target.locate(db, req.id);
  if (!item || !item.shown) throw new DomainError('NOT_FOUND', '内容不存在或已在处理中');
  if (item.author === openid) throw new DomainError('INVALID_INPUT', '不能举报自己发布的内容');
  if (!item.public) await studiedCourse(db, openid, item.courseId, now, '只能举报你能看到的内容');
  const key = itemKey(req.kind, req.id);
  return db.runTransaction(async (tx) => {
    const mine = reportKey(req.kind, req.id, openid);
    if (await readIfExists<Omit<Report, '_id'>>(tx, REPORTS, mine)) return { added: false, hidden: false };
    const queued = await queuedItem(tx, key);
    const count = (queued?.count ?? 0) + 1;
    const hideNow = !queued?.hidden && queued?.status !== 'kept' && count >= settings.moderation.reportThreshold;
    const report: Omit<Report, '_id'> = { type: 'report', kind: req.kind, itemId: req.id, openid, reason: req.reason, ...(req.note ? { note: req.note } : {}), createdAt: now };
    await tx.collection<Omit<Report, '_id'>>(REPORTS).doc(mine).set({ data: report });
    const tally = { count, reasons: { ...queued?.reasons, [req.reason]: (queued?.reasons[req.reason] ?? 0) + 1 }, hidden: (queued?.hidden ?? false) || hideNow, lastAt: now };
    const line: Omit<QueuedItem, '_id'> = queued
      ? { ...queued, ...tally }
      : { type: 'item', kind: req.kind, itemId: req.id, courseId: item.courseId, excerpt: item.excerpt.slice(0, 60), heldBySecurity: false, status: 'open', firstAt: now, ...tally };
    await tx.collection<Omit<QueuedItem, '_id'>>(REPORTS).doc(key).set({ data: line });
    if (hideNow) await target.hide(tx, db, item.docId, { by: 'reports', at: now });
    return { added: true, hidden: hideNow };
  });
}

/** Staff's queue: items waiting for a decision (or decided), the latest reported first. */
export async function listReports(db: Database, req: z.output<typeof listReportsRequest>): Promise<ListReportsResponse> {
  const { items, page, hasMore } = await pageOf(db.collection<QueuedItem>(REPORTS).where({ type: 'item', status: req.status }).orderBy('lastAt', 'desc'), req);
  return { items: items.map(({ _id: _key, type: _type, ...line }) => line), page, hasMore };
}

/** Staff's takedown of an item (who exactly is in the audit entry written with it). */
const byStaff = (at: Date): Takedown => ({ by: 'staff', at });

/** A queue line's fields once staff decided on its item. */
const decided = (status: Exclude<ItemStatus, 'open'>, staff: StaffRef, now: Date) => ({ status, hidden: status === 'hidden', resolvedBy: staff.uid, resolvedAt: now });

/** Staff decide on an item of the queue: take it down for good, or keep it (shown again, and not hidden by more reports). */
export async function resolveReport(db: Database, staff: StaffRef, req: z.output<typeof resolveReportRequest>, now: Date): Promise<ResolveReportResponse> {
  const target = TARGETS[req.kind];
  const item = await target.locate(db, req.id);
  if (!item) throw new DomainError('NOT_FOUND', '内容不存在');
  const key = itemKey(req.kind, req.id);
  return db.runTransaction(async (tx) => {
    const queued = await readIfExists<Omit<QueuedItem, '_id'>>(tx, REPORTS, key);
    if (!queued) throw new DomainError('NOT_FOUND', '这条内容没有待处理的举报');
    const status = req.decision === 'hide' ? 'hidden' : 'kept';
    await tx.collection(REPORTS).doc(key).update({ data: decided(status, staff, now) });
    await recordAudit(
      tx,
      staff,
      { action: 'reports.resolve', target: { kind: 'report', id: key }, summary: `${status === 'hidden' ? '下架' : '保留'}被举报的内容：${queued.excerpt}`, before: { status: queued.status, hidden: queued.hidden }, after: { status, hidden: status === 'hidden' } },
      now,
    );
    await (status === 'hidden' ? target.hide(tx, db, item.docId, byStaff(now)) : target.restore(tx, db, item.docId));
    return { status };
  });
}

/** The action moderateReview and moderateCheckIn declare (support look after reviews, teachers after check-ins), for the audit log. */
const COMMUNITY_ACTIONS: Record<CommunityKind, Action> = { review: 'reports.resolve', checkin: 'homework.review' };
const COMMUNITY_NAMES: Record<CommunityKind, string> = { review: '评价', checkin: '打卡' };

/**
 * Staff hide any review or check-in from others, or show it again, whether learners reported it or not. A
 * line of the reports queue for it is decided the same way (hidden, or kept: more reports no longer hide it)
 * in the same transaction, so the 举报处理 screen agrees. A teacher limited to their courses (`scope`) moderates
 * only those courses' items.
 *
 * Requests: the item; then begin, the queue's line, its write (when there is one), the audit entry, the
 * item's write (a review also reads itself and moves its course's rating), commit.
 */
export async function moderateContent(
  db: Database,
  staff: StaffRef,
  kind: CommunityKind,
  req: z.output<typeof moderateContentRequest>,
  now: Date,
  scope?: CourseScope,
): Promise<ModerateContentResponse> {
  const target = TARGETS[kind];
  const item = await target.locate(db, req.id);
  if (!item) throw new DomainError('NOT_FOUND', '内容不存在');
  requireInScope(scope, item.courseId, `只能管理自己课程的${COMMUNITY_NAMES[kind]}`);
  const hidden = req.decision === 'hide';
  return db.runTransaction(async (tx) => {
    const key = itemKey(kind, req.id);
    if (await readIfExists<Omit<QueuedItem, '_id'>>(tx, REPORTS, key)) await tx.collection(REPORTS).doc(key).update({ data: decided(hidden ? 'hidden' : 'kept', staff, now) });
    await recordAudit(
      tx,
      staff,
      { action: COMMUNITY_ACTIONS[kind], target: { kind, id: req.id }, summary: `${hidden ? '隐藏' : '恢复显示'}${COMMUNITY_NAMES[kind]}：${item.excerpt.slice(0, 60)}`, before: { hidden: !item.shown }, after: { hidden } },
      now,
    );
    await (hidden ? target.hide(tx, db, item.docId, byStaff(now)) : target.restore(tx, db, item.docId));
    return { hidden };
  });
}
