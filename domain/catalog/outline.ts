/**
 * The outline editor's save: a course's chapters and lessons with every lesson's content, all or nothing.
 * The course document's outline is the list of its lessons, so what a save removes is read from it inside the
 * transaction; the lesson documents and the course are written in that same transaction, with the audit entry.
 */
import { isDeepStrictEqual } from 'node:util';
import { readIfExists, type Database } from '../../server/database';
import type { OutlineLessonInput, saveOutlineRequest, SaveOutlineResponse } from '../contracts/catalog-admin';
import type * as z from '../contracts/schema';
import { DomainError } from '../errors';
import { PROGRESS } from '../learning/progress';
import { recordAudit, type StaffRef } from '../staff/audit';
import { newId, outlineIds, withId, withoutId } from './admin';
import { articleHtmlOf, parseArticle, textOf } from './article';
import { COURSES } from './courses';
import { rebuildHome } from './home';
import { LESSONS } from './lessons';
import type { Chapter, Course, Lesson, Schedule } from './model';

/** A live lesson's planned length when the creator gives none. */
const LIVE_DEFAULT_SEC = 3600;

type LessonDoc = Omit<Lesson, '_id'>;

/** The lesson document of an outline entry; the article is stored as the whitelist keeps it. */
function lessonDocOf(input: OutlineLessonInput, courseId: string, chapterIndex: number, order: number): LessonDoc {
  const { title, type, trial, media, liveAt, live, assignment } = input;
  let articleHtml: string | undefined;
  if (input.articleHtml?.trim()) {
    const { nodes, fileIds } = parseArticle(input.articleHtml);
    articleHtml = articleHtmlOf(nodes);
    if (!fileIds.length && !nodes.some((n) => textOf(n).trim())) throw new DomainError('INVALID_INPUT', `课时「${title}」的文章没有可显示的内容`);
  }
  return {
    courseId,
    chapterIndex,
    order,
    title,
    type,
    durationSec: input.durationSec ?? (type === 'live' ? LIVE_DEFAULT_SEC : 0),
    trial,
    ...(media ? { media } : {}),
    ...(articleHtml ? { articleHtml } : input.article?.trim() ? { article: input.article.trim() } : {}),
    ...(liveAt ? { liveAt } : {}),
    ...(live ? { live } : {}),
    ...(assignment ? { assignment } : {}),
  };
}

/** A camp's sessions open only lessons that still exist. */
function withoutLessons(schedule: Schedule | undefined, removed: Set<string>): Schedule | undefined {
  if (!schedule || !removed.size) return schedule;
  return { ...schedule, sessions: schedule.sessions.map((s) => (s.lessonIds ? { ...s, lessonIds: s.lessonIds.filter((id) => !removed.has(id)) } : s)) };
}

/** Refuses removing a lesson a learner has studied (their progress and the refund rule's share depend on it). */
async function refuseStudied(db: Database, outline: Chapter[], lessonIds: string[]): Promise<void> {
  const { data } = await db
    .collection<{ lessonId: string }>(PROGRESS)
    .where({ lessonId: db.command.in(lessonIds) })
    .field({ lessonId: true })
    .limit(1)
    .get();
  const studied = data[0]?.lessonId;
  if (!studied) return;
  const title = outline.flatMap((c) => c.lessons).find((l) => l.id === studied)?.title ?? studied;
  throw new DomainError('CONFLICT', `课时「${title}」已有学员学习，不能删除`);
}

/** An outline for the audit: chapter and lesson titles. */
const outlineSummary = (outline: Chapter[]) => outline.map((c) => ({ title: c.title, lessons: c.lessons.map((l) => l.title) }));

/**
 * Saves a course's whole outline: chapters and lessons in the order given, new lessons created, changed ones
 * rewritten, dropped ones removed (refused when learners studied one), and the course's outline, lesson count,
 * duration and camp schedule to match, in one transaction; nothing is written when any lesson is refused. A
 * lesson keeps what moderation decided about it (`visibility`).
 *
 * Requests: the course, the progress of lessons it drops (when it drops some); a transaction: begin, the course,
 * the lessons it keeps, the writes of changed, new and removed lessons, the course, the audit entry, commit;
 * the home snapshot when the course is published.
 */
export async function saveOutline(db: Database, by: StaffRef, req: z.output<typeof saveOutlineRequest>, now: Date): Promise<SaveOutlineResponse> {
  const courseId = req.courseId;
  const current = (await db.collection<Course>(COURSES).where({ _id: courseId }).field({ outline: true }).get()).data[0];
  if (!current) throw new DomainError('NOT_FOUND', '课程不存在');
  const keep = new Set(req.chapters.flatMap((c) => c.lessons.flatMap((l) => (l.id ? [l.id] : []))));
  const dropped = outlineIds(current.outline).filter((id) => !keep.has(id));
  if (dropped.length) await refuseStudied(db, current.outline, dropped);

  // Built before the transaction: a lesson refused here writes nothing.
  let order = 0;
  const planned = req.chapters.map((chapter, chapterIndex) => ({
    title: chapter.title,
    lessons: chapter.lessons.map((input) => ({ id: input.id ?? newId('lesson'), existing: !!input.id, doc: lessonDocOf(input, courseId, chapterIndex, order++) })),
  }));
  const lessons = planned.flatMap((c) => c.lessons);
  const outline: Chapter[] = planned.map((c) => ({
    title: c.title,
    lessons: c.lessons.map(({ id, doc }) => ({ id, title: doc.title, type: doc.type, durationSec: doc.durationSec, trial: doc.trial })),
  }));

  const result = await db.runTransaction(async (tx) => {
    const stored = await readIfExists<Omit<Course, '_id'>>(tx, COURSES, courseId);
    if (!stored) throw new DomainError('NOT_FOUND', '课程不存在');
    const before = withoutId(stored);
    const listed = new Set(outlineIds(before.outline));
    const stranger = lessons.find((l) => l.existing && !listed.has(l.id));
    if (stranger) throw new DomainError('NOT_FOUND', `课时「${stranger.doc.title}」不在本课程的大纲中，请刷新后重试`);
    const removed = [...listed].filter((id) => !keep.has(id));
    // Someone else changed the outline since it was checked for learners' progress.
    if (removed.some((id) => !dropped.includes(id))) throw new DomainError('CONFLICT', '课程大纲刚被修改，请刷新后重试');

    const previous = await Promise.all(lessons.map((l) => (l.existing ? readIfExists<LessonDoc>(tx, LESSONS, l.id) : Promise.resolve(null))));
    const docs = lessons.map((l, i) => {
      const visibility = previous[i]?.visibility;
      return { id: l.id, doc: visibility ? { ...l.doc, visibility } : l.doc };
    });
    const changed = docs.filter((d, i) => !previous[i] || !isDeepStrictEqual(withoutId(previous[i]!), d.doc));
    const created = previous.filter((p) => !p).length;
    await Promise.all([
      ...changed.map((d) => tx.collection<LessonDoc>(LESSONS).doc(d.id).set({ data: d.doc })),
      ...removed.map((id) => tx.collection(LESSONS).doc(id).remove()),
    ]);
    const { schedule: oldSchedule, ...rest } = before;
    const schedule = withoutLessons(oldSchedule, new Set(removed));
    const next: Omit<Course, '_id'> = {
      ...rest,
      ...(schedule ? { schedule } : {}),
      outline,
      lessonCount: lessons.length,
      durationSec: lessons.reduce((sum, l) => sum + l.doc.durationSec, 0),
      updatedAt: now,
    };
    await tx.collection<Omit<Course, '_id'>>(COURSES).doc(courseId).set({ data: next });
    await recordAudit(
      tx,
      by,
      {
        action: 'catalog.edit',
        target: { kind: 'course', id: courseId },
        summary: `保存课程「${before.title}」的大纲：共 ${lessons.length} 节课，新增 ${created}、修改 ${changed.length - created}、删除 ${removed.length}`,
        before: { outline: outlineSummary(before.outline) },
        after: { outline: outlineSummary(outline) },
      },
      now,
    );
    return { course: next, lessons: docs, written: changed.length, removed: removed.length };
  });
  if (result.course.status === 'published') await rebuildHome(db, now);
  return {
    course: withId({ _id: courseId, ...result.course }),
    lessons: result.lessons.map(({ id, doc }) => withId({ _id: id, ...doc })),
    written: result.written,
    removed: result.removed,
  };
}
