import type { Storage } from '../../server/storage';
import type { Lesson, LessonMedia } from './model';

/**
 * How long a media URL plays: a learner whose access ends (a refund, a revoked grant, a lapsed
 * membership) keeps a URL already handed out at most this long, and gets no new one. The player gets the
 * next URL before it expires (from the save that checks access again, domain/learning/save.ts).
 */
export const MEDIA_URL_SECONDS = 10 * 60;

/** A short-lived URL of a lesson's recording; `quality` names the rendition when the lesson offers several. */
export interface MediaUrl {
  url: string;
  expiresAt: Date;
  quality?: string;
}

type Playable = Pick<Lesson, 'media' | 'live' | 'liveAt'>;

/** What a lesson plays: its media, or a live lesson's replay once the live has begun (the replay exists only after it). */
export function playableMedia(lesson: Playable, now: Date): LessonMedia | undefined {
  if (lesson.media) return lesson.media;
  const replay = lesson.live?.replay;
  return replay && lesson.liveAt && new Date(lesson.liveAt).getTime() <= now.getTime() ? replay : undefined;
}

/** The qualities a learner may switch between (none when the recording has a single rendition). */
export function qualitiesOf(media: LessonMedia | undefined): Array<{ id: string; label: string }> {
  const qualities = media?.qualities ?? [];
  return qualities.length > 1 ? qualities.map(({ id, label }) => ({ id, label })) : [];
}

/** The rendition to play: the one asked for, else the default (`fileId`); an unknown id (a rendition since removed) plays the default. */
export function renditionOf(media: LessonMedia, quality: string | undefined): { fileId: string; quality?: string } {
  const qualities = media.qualities ?? [];
  const chosen = qualities.find((q) => q.id === quality) ?? qualities.find((q) => q.fileId === media.fileId);
  return chosen ? { fileId: chosen.fileId, quality: chosen.id } : { fileId: media.fileId };
}

/**
 * A short-lived URL of what the lesson plays, in the quality asked for, for a learner whose access was just
 * checked; none for a lesson without a recording.
 */
export async function mediaUrlOf(files: Storage, lesson: Playable, now: Date, quality?: string): Promise<MediaUrl | undefined> {
  const media = playableMedia(lesson, now);
  if (!media) return undefined;
  const rendition = renditionOf(media, quality);
  const url = (await files.tempUrls([rendition.fileId], MEDIA_URL_SECONDS)).get(rendition.fileId)!;
  return { url, expiresAt: new Date(now.getTime() + MEDIA_URL_SECONDS * 1000), ...(rendition.quality ? { quality: rendition.quality } : {}) };
}
