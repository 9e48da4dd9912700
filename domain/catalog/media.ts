import type { Storage } from '../../server/storage';
import type { Lesson } from './model';

/**
 * How long a media URL plays: a learner whose access ends (a refund, a revoked grant, a lapsed
 * membership) keeps a URL already handed out at most this long, and gets no new one. The player gets the
 * next URL before it expires (from the save that checks access again, domain/learning/save.ts).
 */
export const MEDIA_URL_SECONDS = 10 * 60;

/** A short-lived URL of the lesson's media, for a learner whose access was just checked; none for a lesson without media. */
export async function mediaUrlOf(files: Storage, lesson: Pick<Lesson, 'media'>, now: Date): Promise<{ url: string; expiresAt: Date } | undefined> {
  if (!lesson.media) return undefined;
  const url = (await files.tempUrls([lesson.media.fileId], MEDIA_URL_SECONDS)).get(lesson.media.fileId)!;
  return { url, expiresAt: new Date(now.getTime() + MEDIA_URL_SECONDS * 1000) };
}
