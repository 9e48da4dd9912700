import { randomUUID } from 'node:crypto';
import { pageOf, readIfExists, type Database } from '../../server/database';
import type { Messages } from '../../server/messages';
import type { ContentSecurity, Verdict } from '../../server/security';
import type { Storage } from '../../server/storage';
import { studiedCourse } from '../access/study';
import { LESSONS } from '../catalog/lessons';
import type { Assignment, Lesson } from '../catalog/model';
import { waitingUntil } from '../catalog/schedule';
import type {
  getHomeworkRequest,
  GetHomeworkResponse,
  HomeworkView,
  listHomeworkRequest,
  ListHomeworkResponse,
  listMyHomeworkRequest,
  ListMyHomeworkResponse,
  reviewHomeworkRequest,
  ReviewHomeworkResponse,
  submitHomeworkRequest,
  SubmitHomeworkResponse,
} from '../contracts/homework';
import type * as z from '../contracts/schema';
import { DomainError } from '../errors';
import { thing } from '../messages/fields';
import { leaveMessage } from '../messages/inbox';
import { moderationOf, ownUploads, recordMediaChecks, startMediaChecks, withVerdict, type CheckedMedia, type MediaCheck } from '../moderation/media';
import { publicIdOf, queueHeldItem } from '../moderation/queue';
import { recordAudit, type StaffRef } from '../staff/audit';
import { courseCondition, requireInScope, type CourseScope } from '../staff/scope';
import { USERS } from '../users/profile';
import type { HomeworkStatus } from './model';

export const HOMEWORK = 'homework';

/** A learner's homework for one assignment (`<openid>:<assignmentId>`): handed in again, it is replaced until graded. */
export interface Homework {
  _id: string;
  publicId: string;
  openid: string;
  courseId: string;
  /** the assignment's id: its lesson's */
  lessonId: string;
  lessonTitle: string;
  nickname: string;
  /** a new one each time it is handed in: verdicts for an earlier hand-in are ignored */
  submission: string;
  text?: string;
  textVerdict: Verdict;
  media: CheckedMedia[];
  status: HomeworkStatus;
  rejection?: string;
  submittedAt: Date;
  review?: { score: number; feedback: string; reviewedAt: Date; by: string };
  featured: boolean;
  /** `held`: a featured homework reported or held, out of others' sight until staff decide */
  visibility: 'visible' | 'held';
}

const MEDIA_REFUSED = '图片或音频未通过内容审核，请修改后重新提交';

/** Where a homework stands once its checks say `moderation`. */
function statusAfter(moderation: ReturnType<typeof moderationOf>): { status: HomeworkStatus; rejection?: string } {
  switch (moderation) {
    case 'refused':
      return { status: 'returned', rejection: MEDIA_REFUSED };
    case 'checking':
      return { status: 'checking' };
    case 'held':
      return { status: 'held' };
    case 'passed':
      return { status: 'submitted' };
  }
}

/** The lesson carrying the assignment, with the assignment. */
async function assignmentOf(db: Database, assignmentId: string): Promise<Pick<Lesson, '_id' | 'courseId' | 'title' | 'trial'> & { assignment: Assignment }> {
  const { data } = await db.collection<Lesson>(LESSONS).where({ _id: assignmentId }).field({ courseId: true, title: true, trial: true, assignment: true }).get();
  const lesson = data[0];
  if (!lesson?.assignment) throw new DomainError('NOT_FOUND', '这节课没有布置作业');
  return { ...lesson, assignment: lesson.assignment };
}

const HOMEWORK_REFUSAL = '购买课程后才能提交作业';

/** Short-lived URLs to show a homework's files (a teacher's or its learner's screen). */
const SHOW_SECONDS = 600;

async function viewsOf(files: Storage, homework: Homework[]): Promise<HomeworkView[]> {
  const urls = await files.tempUrls(
    homework.flatMap((h) => h.media.map((m) => m.fileId)),
    SHOW_SECONDS,
  );
  return homework.map((h) => {
    const audio = h.media.find((m) => m.kind === 'audio');
    return {
      id: h._id,
      assignmentId: h.lessonId,
      courseId: h.courseId,
      lessonTitle: h.lessonTitle,
      ...(h.text ? { text: h.text } : {}),
      images: h.media.filter((m) => m.kind === 'image').map((m) => ({ fileId: m.fileId, url: urls.get(m.fileId) ?? '' })),
      ...(audio ? { audio: { fileId: audio.fileId, url: urls.get(audio.fileId) ?? '' } } : {}),
      status: h.status,
      ...(h.rejection ? { rejection: h.rejection } : {}),
      submittedAt: h.submittedAt,
      ...(h.review ? { review: { score: h.review.score, feedback: h.review.feedback, reviewedAt: h.review.reviewedAt } } : {}),
      featured: h.featured,
    };
  });
}

/**
 * A learner who may study the course hands in the assignment of a lesson, or hands it in again until a
 * teacher graded it. What it may hold is the assignment's (`accepts`); files must be the learner's own
 * uploads, at most 10 MB each. The text goes through content security first (risky is refused at once); the
 * files are checked asynchronously, and the homework waits (`checking`) until every verdict is in: then it
 * goes to the teachers' queue, or to staff when something is doubtful, or back to the learner when a file was
 * refused. Nobody but the learner sees it before.
 */
export async function submitHomework(
  db: Database,
  files: Storage,
  security: ContentSecurity,
  openid: string,
  req: z.output<typeof submitHomeworkRequest>,
  now: Date,
): Promise<SubmitHomeworkResponse> {
  const lesson = await assignmentOf(db, req.assignmentId);
  const { assignment } = lesson;
  const [course, users] = await Promise.all([
    studiedCourse(db, openid, lesson.courseId, now, HOMEWORK_REFUSAL),
    db.collection<{ nickname?: string }>(USERS).where({ _id: openid }).field({ nickname: true }).get(),
  ]);
  const opensAt = waitingUntil(course, { id: lesson._id, trial: lesson.trial }, now);
  if (opensAt) throw new DomainError('FORBIDDEN', '本课尚未开放，开放后再来交作业');
  if (assignment.dueAt && new Date(assignment.dueAt) < now) throw new DomainError('CONFLICT', '作业已截止，不能再提交');
  const images = req.imageFileIds ?? [];
  if (req.text && !assignment.accepts.text) throw new DomainError('INVALID_INPUT', '这份作业不收文字');
  if (images.length > assignment.accepts.images) {
    throw new DomainError('INVALID_INPUT', assignment.accepts.images ? `这份作业最多交 ${assignment.accepts.images} 张图片` : '这份作业不收图片');
  }
  if (req.audioFileId && !assignment.accepts.audio) throw new DomainError('INVALID_INPUT', '这份作业不收音频');
  const uploads = await ownUploads(files, openid, [
    ...images.map((fileId) => ({ fileId, kind: 'image' as const })),
    ...(req.audioFileId ? [{ fileId: req.audioFileId, kind: 'audio' as const }] : []),
  ]);
  const textVerdict = req.text ? await security.checkText(openid, req.text, 2) : 'pass';
  if (textVerdict === 'risky') throw new DomainError('CONTENT_REJECTED', '作业内容可能包含违规信息，请修改后再提交');

  const id = `${openid}:${lesson._id}`;
  const submission = randomUUID();
  const { media, checks } = await startMediaChecks(security, openid, { kind: 'homework', id, submission }, uploads, 2, now);
  const homework = await db.runTransaction(async (tx) => {
    const earlier = await readIfExists<Omit<Homework, '_id'>>(tx, HOMEWORK, id);
    if (earlier?.status === 'reviewed') throw new DomainError('CONFLICT', '作业已批改，不能再修改');
    const next: Omit<Homework, '_id'> = {
      publicId: publicIdOf(id),
      openid,
      courseId: lesson.courseId,
      lessonId: lesson._id,
      lessonTitle: lesson.title,
      nickname: users.data[0]?.nickname || '学员',
      submission,
      ...(req.text ? { text: req.text } : {}),
      textVerdict,
      media,
      ...statusAfter(moderationOf(textVerdict, media)),
      submittedAt: now,
      featured: false,
      visibility: 'visible',
    };
    await tx.collection<Omit<Homework, '_id'>>(HOMEWORK).doc(id).set({ data: next });
    await recordMediaChecks(tx, checks);
    if (next.status === 'held') await queueHeldItem(tx, { kind: 'homework', itemId: next.publicId, courseId: next.courseId, excerpt: next.text ?? '' }, now);
    return { _id: id, ...next };
  });
  return { homework: (await viewsOf(files, [homework]))[0]! };
}

/** A media verdict for a homework (domain/moderation/media.ts): when the last one is in, it goes on to teachers, staff or back to its learner. */
export async function applyHomeworkMediaVerdict(db: Database, check: MediaCheck, verdict: Verdict, now: Date): Promise<string> {
  return db.runTransaction(async (tx) => {
    const homework = await readIfExists<Omit<Homework, '_id'>>(tx, HOMEWORK, check.target.id);
    const media = homework && homework.submission === check.target.submission ? withVerdict(homework.media, check.fileId, verdict) : null;
    if (!homework || !media) return `stale: ${check.target.id} no longer waits for ${check.fileId}`;
    const { status, rejection } = statusAfter(moderationOf(homework.textVerdict, media));
    await tx.collection(HOMEWORK).doc(check.target.id).update({ data: { media, status, ...(rejection ? { rejection } : {}) } });
    if (status === 'held') await queueHeldItem(tx, { kind: 'homework', itemId: homework.publicId, courseId: homework.courseId, excerpt: homework.text ?? '[图片/音频]' }, now);
    return `homework ${check.target.id}: ${verdict}, now ${status}`;
  });
}

/** Examples teachers picked, shown under the assignment. */
const FEATURED_SHOWN = 10;

/**
 * The homework page: the assignment, the learner's own homework (its files as short-lived URLs, the grade
 * and feedback once reviewed), and the examples teachers featured.
 */
export async function getHomework(db: Database, files: Storage, openid: string, req: z.output<typeof getHomeworkRequest>, now: Date): Promise<GetHomeworkResponse> {
  const lesson = await assignmentOf(db, req.assignmentId);
  const [, mine, featured] = await Promise.all([
    studiedCourse(db, openid, lesson.courseId, now, HOMEWORK_REFUSAL),
    db.collection<Homework>(HOMEWORK).where({ _id: `${openid}:${lesson._id}` }).get(),
    db.collection<Homework>(HOMEWORK).where({ lessonId: lesson._id, featured: true, visibility: 'visible' }).orderBy('submittedAt', 'desc').limit(FEATURED_SHOWN).get(),
  ]);
  const others = featured.data.filter((h) => h.openid !== openid);
  const views = await viewsOf(files, [...mine.data, ...others]);
  const examples = views.slice(mine.data.length);
  const { assignment } = lesson;
  return {
    assignment: {
      id: lesson._id,
      courseId: lesson.courseId,
      lessonTitle: lesson.title,
      prompt: assignment.prompt,
      ...(assignment.dueAt ? { dueAt: assignment.dueAt } : {}),
      accepts: assignment.accepts,
      closed: !!assignment.dueAt && new Date(assignment.dueAt) < now,
    },
    ...(mine.data.length ? { mine: views[0] } : {}),
    featured: examples.map((view, i) => ({
      id: others[i]!.publicId,
      nickname: others[i]!.nickname,
      ...(view.text ? { text: view.text } : {}),
      images: view.images,
      ...(view.review ? { score: view.review.score } : {}),
    })),
  };
}

/** 我的 > 作业: the learner's homework, newest first, one page in one request. */
export async function listMyHomework(db: Database, openid: string, req: z.output<typeof listMyHomeworkRequest>): Promise<ListMyHomeworkResponse> {
  const { items, page, hasMore } = await pageOf(db.collection<Homework>(HOMEWORK).where({ openid }).orderBy('submittedAt', 'desc'), req);
  return {
    homework: items.map((h) => ({
      id: h._id,
      assignmentId: h.lessonId,
      courseId: h.courseId,
      lessonTitle: h.lessonTitle,
      status: h.status,
      submittedAt: h.submittedAt,
      ...(h.review ? { review: { score: h.review.score, feedback: h.review.feedback, reviewedAt: h.review.reviewedAt } } : {}),
    })),
    page,
    hasMore,
  };
}

/** What a teacher is told of another teacher's course's homework. */
const OTHER_COURSE = '只能查看自己课程的作业';
const OTHER_COURSE_REVIEW = '只能批改自己课程的作业';

/** The teachers' queue: homework waiting for a grade (or graded), oldest first; of the courses in `scope` (a teacher's) when given. */
export async function listHomework(db: Database, files: Storage, req: z.output<typeof listHomeworkRequest>, scope?: CourseScope): Promise<ListHomeworkResponse> {
  const { items, page, hasMore } = await pageOf(
    db
      .collection<Homework>(HOMEWORK)
      .where({ status: req.status, ...courseCondition(db, scope, req.courseId, OTHER_COURSE) })
      .orderBy('submittedAt', 'asc'),
    req,
  );
  const views = await viewsOf(files, items);
  return { homework: views.map((v, i) => ({ ...v, nickname: items[i]!.nickname })), page, hasMore };
}

const homeworkPage = (assignmentId: string) => `packages/learn/homework/index?assignmentId=${assignmentId}`;


/** A score as a `phrase` field says it: at most 5 Chinese characters, no digits. */
const gradeOf = (score: number) => (score >= 90 ? '优秀' : score >= 75 ? '良好' : score >= 60 ? '合格' : '待改进');

/**
 * A teacher grades a homework handed in (or grades it again): score, feedback, and whether it is shown to the
 * course's learners as an example. The learner gets the `homeworkReviewed` subscription message if they
 * accepted it, and an in-app message either way; the feedback is on their homework page. A teacher limited to
 * their courses (`scope`) grades only those courses' homework.
 */
export async function reviewHomework(
  db: Database,
  files: Storage,
  messages: Messages,
  staff: StaffRef,
  req: z.output<typeof reviewHomeworkRequest>,
  now: Date,
  scope?: CourseScope,
): Promise<ReviewHomeworkResponse> {
  const reviewed = await db.runTransaction(async (tx) => {
    const homework = await readIfExists<Omit<Homework, '_id'>>(tx, HOMEWORK, req.homeworkId);
    if (!homework) throw new DomainError('NOT_FOUND', '作业不存在');
    requireInScope(scope, homework.courseId, OTHER_COURSE_REVIEW);
    if (homework.status !== 'submitted' && homework.status !== 'reviewed') throw new DomainError('CONFLICT', '作业还未通过内容审核，暂不能批改');
    const review = { score: req.score, feedback: req.feedback, reviewedAt: now, by: staff.uid };
    await tx.collection(HOMEWORK).doc(req.homeworkId).update({ data: { review, status: 'reviewed', featured: req.feature } });
    await recordAudit(
      tx,
      staff,
      {
        action: 'homework.review',
        target: { kind: 'homework', id: req.homeworkId },
        summary: `批改《${homework.lessonTitle}》的作业：${req.score} 分${req.feature ? '，设为优秀作业' : ''}`,
        ...(homework.review ? { before: { score: homework.review.score, featured: homework.featured } } : {}),
        after: { score: req.score, feedback: req.feedback, featured: req.feature },
      },
      now,
    );
    await leaveMessage(tx, { openid: homework.openid, kind: 'homeworkReviewed', title: '作业已批改', body: `《${homework.lessonTitle}》得分 ${req.score}：${req.feedback}`, page: homeworkPage(homework.lessonId) }, now);
    return { ...homework, _id: req.homeworkId, review, status: 'reviewed' as const, featured: req.feature };
  });
  const outcome = await messages
    .notify({
      purpose: 'homeworkReviewed',
      touser: reviewed.openid,
      page: homeworkPage(reviewed.lessonId),
      values: { lessonTitle: thing(reviewed.lessonTitle), score: gradeOf(req.score), feedback: thing(req.feedback) },
    })
    .catch((e: unknown) => {
      // The grade stands: the learner sees it on the homework page and in their messages.
      console.error(`homework-reviewed message for ${reviewed._id} not sent:`, e);
      return 'failed' as const;
    });
  return { homework: (await viewsOf(files, [reviewed]))[0]!, notified: outcome === 'sent' };
}
