import type { Database } from '../../server/database';
import type { Storage } from '../../server/storage';
import { accessTo, entitlementsFor } from '../access/entitlements';
import type { LessonView } from '../contracts/catalog';
import { DomainError } from '../errors';
import { openProgress, readProgress } from '../learning/record';
import { defaultNickname, learnerNumber, USERS } from '../users/profile';
import { COURSES } from './courses';
import { parseArticle, withImageUrls } from './article';
import { MEDIA_URL_SECONDS, mediaUrlOf, playableMedia, qualitiesOf } from './media';
import type { Chapter, Course, Lesson } from './model';
import { waitingUntil } from './schedule';

export const LESSONS = 'lessons';

/** The lesson after `lessonId` in the course's outline (across chapters), if any. */
export function nextLessonOf(outline: Chapter[], lessonId: string): string | undefined {
  const ids = outline.flatMap((chapter) => chapter.lessons.map((l) => l.id));
  const at = ids.indexOf(lessonId);
  return at >= 0 ? ids[at + 1] : undefined;
}

/**
 * A lesson for the caller: its content and a short-lived media URL if they may study it (trial,
 * free course, bought, membership), otherwise only its outline entry marked 'locked' (or 'scheduled', with
 * when it opens, for a camp lesson whose day has not come: domain/catalog/schedule.ts). For a learner who may
 * study it, where they left off and the state their player's first save sends back (domain/learning): the
 * record is read once access is known, and created on the first open (which starts the wall clock progress
 * is credited against) or written when its access check is due.
 *
 * Paid media come with a watermark (the learner's nickname and number) and every lesson with the next one
 * in the outline, for the player. Media play in the quality asked for (or the default), and list the
 * others; an editor-written article comes as whitelisted rich-text nodes (domain/catalog/article.ts); a
 * live lesson comes with its 视频号 live, and plays its replay once there is one.
 *
 * Requests: the lesson, then the course and the learner's entitlements at once (3; a locked lesson ends
 * here), then their record and, for paid media, their profile at once (4 or 5), and a write of the record
 * on the first open or when its access check is due.
 */
export async function getLesson(db: Database, files: Storage, lessonId: string, openid: string | undefined, now: Date, quality?: string): Promise<LessonView> {
  const lesson = (await db.collection<Lesson>(LESSONS).where({ _id: lessonId }).get()).data[0];
  if (!lesson) throw new DomainError('NOT_FOUND', '课时不存在');
  // Reported by enough learners: nobody studies it until staff decide (domain/moderation/reports.ts).
  if (lesson.visibility === 'held') throw new DomainError('FORBIDDEN', '该课时正在审核中，请稍后再来');
  const [courses, entitlements] = await Promise.all([
    db.collection<Course>(COURSES).where({ _id: lesson.courseId, status: 'published' }).field({ price: true, outline: true, schedule: true }).get(),
    lesson.trial ? Promise.resolve([]) : entitlementsFor(db, openid, lesson.courseId),
  ]);
  const course = courses.data[0];
  if (!course) throw new DomainError('NOT_FOUND', '课程不存在或已下架');
  const outline = { id: lesson._id, courseId: lesson.courseId, title: lesson.title, type: lesson.type, durationSec: lesson.durationSec, trial: lesson.trial };
  const access = lesson.trial ? 'trial' : (accessTo(course, entitlements, now) ?? 'locked');
  if (access === 'locked') return { lesson: outline, access };
  // Held, but the camp's schedule opens it on its day.
  const opensAt = waitingUntil(course, { id: lesson._id, trial: lesson.trial }, now);
  if (opensAt) return { lesson: outline, access: 'scheduled', opensAt };
  const playable = playableMedia(lesson, now);
  const article = lesson.articleHtml ? parseArticle(lesson.articleHtml) : undefined;
  // Only for a learner who may study it: their record, and their profile for paid media's watermark.
  const [media, stored, users] = await Promise.all([
    mediaUrlOf(files, lesson, now, quality),
    openid ? readProgress(db, openid, lessonId) : Promise.resolve(undefined),
    openid && !lesson.trial && playable ? db.collection<{ nickname: string }>(USERS).where({ _id: openid }).field({ nickname: true }).get() : Promise.resolve(undefined),
  ]);
  const [progress, imageUrls] = await Promise.all([
    openid ? openProgress(db, openid, lesson, stored, now) : Promise.resolve(undefined),
    article?.fileIds.length ? articleImageUrls(files, article.fileIds) : Promise.resolve(new Map<string, string>()),
  ]);
  const qualities = qualitiesOf(playable);
  const next = nextLessonOf(course.outline, lesson._id);
  return {
    lesson: outline,
    access,
    ...(media ? { media } : {}),
    ...(qualities.length ? { qualities } : {}),
    // Paid media carry who watches them: a recording shows its source.
    ...(media && users && openid ? { watermark: `${users.data[0]?.nickname ?? defaultNickname(openid)} ${learnerNumber(openid)}` } : {}),
    ...(next ? { nextLessonId: next } : {}),
    ...(lesson.assignment ? { assignment: { prompt: lesson.assignment.prompt } } : {}),
    ...(article ? { articleNodes: withImageUrls(article.nodes, imageUrls), highlights: article.highlights } : lesson.article ? { article: lesson.article } : {}),
    ...(lesson.liveAt ? { liveAt: lesson.liveAt } : {}),
    ...(lesson.type === 'live' && lesson.live && lesson.liveAt
      ? {
          live: {
            finderUserName: lesson.live.finderUserName,
            ...(lesson.live.feedId ? { feedId: lesson.live.feedId } : {}),
            endsAt: new Date(new Date(lesson.liveAt).getTime() + lesson.durationSec * 1000),
          },
        }
      : {}),
    ...(progress ? { progress } : {}),
  };
}

/** Short-lived URLs of an article's images; a file that is gone leaves its image out rather than failing the lesson. */
async function articleImageUrls(files: Storage, fileIds: string[]): Promise<Map<string, string>> {
  try {
    return await files.tempUrls(fileIds.slice(0, 50), MEDIA_URL_SECONDS);
  } catch (e) {
    console.warn(`article images unavailable: ${(e as Error).message}`);
    return new Map();
  }
}
