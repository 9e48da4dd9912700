import type { ProgressState } from '../learning/model';
import { fileId, MAX_IMAGES } from './homework';
import { id } from './ids';
import { qualityId } from './catalog';
import * as z from './schema';

/** A lesson is at most a day long: seconds beyond it are a bug or a forgery. */
const second = z.number().check(z.gte(0, '时间不能为负'), z.lte(86_400, '时间超出范围'));
const epochMs = z.int().check(z.nonnegative());

/** The record as the last save answered it; only trusted when it is exactly what the server holds. */
const progressState = z.strictObject({
  rev: z.int().check(z.nonnegative()),
  ranges: z.array(z.tuple([second, second])).check(z.maxLength(2_000)),
  openedAt: epochMs,
  accessUntil: epochMs,
  courseId: id,
  durationSec: z.number().check(z.nonnegative()),
});

/**
 * `saveProgress`: the ranges of the lesson the player really played since its last save (`[startSec,
 * endSec]`, media time), where the learner is now, and the `state` the last save (or `getLesson`) answered.
 * At most once a minute while playing, and on pause, end, hide and unload.
 */
export const saveProgressRequest = z.strictObject({
  lessonId: id,
  ranges: z.array(z.tuple([second, second]).check(z.refine(([start, end]) => end >= start, '播放区间的结束不能早于开始'))).check(z.maxLength(100, '一次最多上报 100 段播放区间')),
  positionSec: second,
  state: z.optional(progressState),
  /** the quality the player plays: the fresh media URL a save may bring is of it */
  quality: z.optional(qualityId),
});
export type SaveProgressRequest = z.input<typeof saveProgressRequest>;

/** A learner's progress in a lesson, as the player needs it. */
export interface ProgressView {
  /** seconds of the lesson played, each counted once */
  watchedSec: number;
  completed: boolean;
  /** where to resume */
  positionSec: number;
  /** send it back with the next save */
  state: ProgressState;
}

export interface SaveProgressResponse extends ProgressView {
  /** a fresh media URL (of the quality asked for), when this save checked access again (the previous URL is about to expire) */
  media?: { url: string; expiresAt: Date; quality?: string };
}

/** A learner's progress in a course, from their lesson records: what 我的课程 shows. */
export interface CourseProgress {
  /** lessons completed (90% of each played) */
  completedLessons: number;
  /** share of the course's duration played, 0 to 1 */
  watchedShare: number;
  /** the lesson studied last, and where in it: 继续学习 opens it there */
  lastLesson?: { id: string; positionSec: number };
}

/** `checkIn`: the learner checks in today in a course they study, with a few words if they like. */
export const checkInRequest = z.strictObject({
  courseId: id,
  text: z.optional(z.string().check(z.trim(), z.minLength(1, '请写点今天的收获'), z.maxLength(500, '打卡内容最多 500 字'))),
  /** pictures the learner uploaded under homework/<openid>/ */
  imageFileIds: z.optional(z.array(fileId).check(z.maxLength(MAX_IMAGES, `打卡最多 ${MAX_IMAGES} 张图片`))),
});
export type CheckInRequest = z.input<typeof checkInRequest>;

/** A learner's check-ins in a course as of today (the Beijing calendar day). */
export interface CheckInSummary {
  checkedInToday: boolean;
  /** days in a row (for a camp: its scheduled days in a row); 0 once a day was missed */
  streak: number;
  total: number;
  /** this month's days checked in, YYYY-MM-DD */
  monthDays: string[];
}

export interface CheckInResponse extends CheckInSummary {
  /** false when the learner had checked in today already: nothing changed */
  added: boolean;
  /** the text waits for a person to look before others see it */
  held: boolean;
}

/** `listCheckIns`: the 打卡 page of a course. */
export const listCheckInsRequest = z.strictObject({ courseId: id });
export type ListCheckInsRequest = z.input<typeof listCheckInsRequest>;
export interface ListCheckInsResponse extends CheckInSummary {
  /** YYYY-MM-DD, Beijing */
  today: string;
  /** a camp's task of the day, from its schedule */
  task?: { title: string; text: string };
  /** the latest check-ins of the course others may see, and the learner's own, newest first */
  recent: Array<{
    /** names it in a report */
    id: string;
    nickname: string;
    avatarUrl: string;
    text?: string;
    /** picture URLs (short-lived) */
    images: string[];
    day: string;
    createdAt: Date;
    mine: boolean;
    held?: true;
  }>;
}

/** `getStudySummary`: what 我的 shows a learner about their studying. */
export const getStudySummaryRequest = z.strictObject({});
export type GetStudySummaryRequest = z.input<typeof getStudySummaryRequest>;
export interface StudySummary {
  /** minutes of lessons credited this Beijing week (Monday on) */
  weekMinutes: number;
  /** in-app messages not read yet (消息) */
  unreadMessages: number;
  /** the longest check-in streak still alive among the learner's courses */
  streak: number;
  /** the lesson studied last: 继续学习 opens it where the learner left off */
  continue?: { lessonId: string; lessonTitle: string; courseId: string; courseTitle: string; positionSec: number; durationSec: number; completed: boolean };
}
