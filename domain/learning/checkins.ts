import { readIfExists, type Database } from '../../server/database';
import type { ContentSecurity, Verdict } from '../../server/security';
import type { Storage } from '../../server/storage';
import { studiedCourse } from '../access/study';
import type { Schedule } from '../catalog/model';
import type { checkInRequest, CheckInResponse, CheckInSummary, ListCheckInsResponse } from '../contracts/learning';
import type { Takedown } from '../contracts/moderation';
import type * as z from '../contracts/schema';
import { DomainError } from '../errors';
import { moderationOf, ownUploads, recordMediaChecks, startMediaChecks, withVerdict, type CheckedMedia, type MediaCheck } from '../moderation/media';
import { publicIdOf, queueHeldItem } from '../moderation/queue';
import { USERS } from '../users/profile';
import { beijingDay, dayBefore } from './calendar';

export const CHECKINS = 'checkins';

/** A learner's check-in of one day in one course (`<openid>:<courseId>:<day>`). */
export interface CheckInDay {
  _id: string;
  /** how others name it (reports) */
  publicId: string;
  kind: 'day';
  openid: string;
  courseId: string;
  /** the Beijing calendar day, YYYY-MM-DD */
  day: string;
  text?: string;
  /** pictures, each shown once WeChat's check passed it */
  media: CheckedMedia[];
  textVerdict: Verdict;
  /** `held`: being checked, or content security (or reports) want a person to look first; only the learner sees it meanwhile */
  visibility: 'visible' | 'held';
  /** staff or reports took it down: it stays `held` whatever its pictures' verdicts, until staff show it again */
  takedown?: Takedown;
  /** the learner's name and avatar when they checked in, for others' lists */
  nickname: string;
  avatarUrl: string;
  createdAt: Date;
}

/** A learner's running count in one course (`<openid>:<courseId>`): every check-in updates it in the same transaction. */
export interface CheckInTally {
  _id: string;
  kind: 'tally';
  openid: string;
  courseId: string;
  total: number;
  streak: number;
  lastDay: string;
  /** the days of the last two months checked in, newest last: the calendar needs no other read */
  recentDays: string[];
  updatedAt: Date;
}

/** Days kept in a tally: this month's and last month's calendars. */
const RECENT_DAYS_KEPT = 62;

/**
 * The check-in day that must come right before `today` for a streak to go on: yesterday, or, for a camp,
 * the last day of its schedule before today (days without a session do not break it).
 */
export function previousCheckInDay(today: string, schedule?: Schedule): string {
  if (!schedule?.sessions.length) return dayBefore(today);
  const earlier = schedule.sessions.map((s) => beijingDay(new Date(s.startAt))).filter((d) => d < today);
  return earlier.length ? earlier.reduce((a, b) => (a > b ? a : b)) : dayBefore(today);
}

/** A tally's streak as of `today`: one whose last day is neither today nor the day before it is over, even before the next check-in. */
export function currentStreak(tally: Pick<CheckInTally, 'streak' | 'lastDay'>, today: string, schedule?: Schedule): number {
  return tally.lastDay === today || tally.lastDay === previousCheckInDay(today, schedule) ? tally.streak : 0;
}

/** What a tally says to its learner today. */
function summaryOf(tally: Pick<CheckInTally, 'total' | 'streak' | 'lastDay' | 'recentDays'> | null, today: string, schedule?: Schedule): CheckInSummary {
  if (!tally) return { checkedInToday: false, streak: 0, total: 0, monthDays: [] };
  const month = today.slice(0, 7);
  return { checkedInToday: tally.lastDay === today, streak: currentStreak(tally, today, schedule), total: tally.total, monthDays: tally.recentDays.filter((d) => d.startsWith(month)) };
}

const tallyId = (openid: string, courseId: string) => `${openid}:${courseId}`;

const CHECK_IN_REFUSAL = '购买课程后才能打卡';

/**
 * Checks the learner in for today (the Beijing calendar day, by the server's clock) in a course they may
 * study: once a day, however many calls arrive at once. The day's document and the tally (total, streak,
 * recent days) change in one transaction keyed by the tally, so concurrent calls serialize on it and only
 * the first writes. A text goes through content security first: refused when risky, held back from others
 * when WeChat wants a person to look.
 *
 * Requests: the course and the entitlements, with the learner's profile, at once; then begin, the tally,
 * the day's insert, the tally's write, commit: 8. Checked in already today: 6 (nothing is written).
 */
export async function checkIn(db: Database, files: Storage, security: ContentSecurity, openid: string, req: z.output<typeof checkInRequest>, now: Date): Promise<CheckInResponse> {
  const [course, users, uploads] = await Promise.all([
    studiedCourse(db, openid, req.courseId, now, CHECK_IN_REFUSAL),
    db.collection<{ nickname?: string; avatarUrl?: string }>(USERS).where({ _id: openid }).field({ nickname: true, avatarUrl: true }).get(),
    ownUploads(
      files,
      openid,
      (req.imageFileIds ?? []).map((fileId) => ({ fileId, kind: 'image' as const })),
    ),
  ]);
  const verdict = req.text ? await security.checkText(openid, req.text, 4) : 'pass';
  if (verdict === 'risky') throw new DomainError('CONTENT_REJECTED', '打卡内容可能包含违规信息，请修改后再提交');
  const today = beijingDay(now);
  const user = users.data[0];
  const id = tallyId(openid, req.courseId);
  const dayId = `${id}:${today}`;
  const { media, checks } = await startMediaChecks(security, openid, { kind: 'checkin', id: dayId, submission: dayId }, uploads, 4, now);
  const checkedIn = await db.runTransaction(async (tx) => {
    const tally = await readIfExists<Omit<CheckInTally, '_id'>>(tx, CHECKINS, id);
    if (tally?.lastDay === today) return { tally, added: false, held: false };
    const moderation = moderationOf(verdict, media);
    const day: Omit<CheckInDay, '_id'> = {
      publicId: publicIdOf(dayId),
      kind: 'day',
      openid,
      courseId: req.courseId,
      day: today,
      ...(req.text ? { text: req.text } : {}),
      media,
      textVerdict: verdict,
      visibility: moderation === 'passed' ? 'visible' : 'held',
      nickname: user?.nickname || '学员',
      avatarUrl: user?.avatarUrl ?? '',
      createdAt: now,
    };
    await tx.collection<Omit<CheckInDay, '_id'>>(CHECKINS).doc(dayId).set({ data: day });
    await recordMediaChecks(tx, checks);
    if (moderation === 'held') await queueHeldItem(tx, { kind: 'checkin', itemId: day.publicId, courseId: req.courseId, excerpt: req.text ?? '' }, now);
    const next: Omit<CheckInTally, '_id'> = {
      kind: 'tally',
      openid,
      courseId: req.courseId,
      total: (tally?.total ?? 0) + 1,
      streak: tally && tally.lastDay === previousCheckInDay(today, course.schedule) ? tally.streak + 1 : 1,
      lastDay: today,
      recentDays: [...(tally?.recentDays ?? []), today].slice(-RECENT_DAYS_KEPT),
      updatedAt: now,
    };
    await tx.collection<Omit<CheckInTally, '_id'>>(CHECKINS).doc(id).set({ data: next });
    return { tally: next, added: true, held: day.visibility === 'held' };
  });
  return { added: checkedIn.added, held: checkedIn.held, ...summaryOf(checkedIn.tally, today, course.schedule) };
}

/** How long the URLs of check-in pictures in a list live. */
export const PICTURE_SECONDS = 600;

/**
 * A media verdict for a check-in's picture (domain/moderation/media.ts): shown once every picture passed,
 * unless staff took it down meanwhile (then it stays down, and out of the queue: staff decided already).
 */
export async function applyCheckInMediaVerdict(db: Database, check: MediaCheck, verdict: Verdict, now: Date): Promise<string> {
  return db.runTransaction(async (tx) => {
    const day = await readIfExists<Omit<CheckInDay, '_id'>>(tx, CHECKINS, check.target.id);
    const media = day ? withVerdict(day.media ?? [], check.fileId, verdict) : null;
    if (!day || !media) return `stale: ${check.target.id} no longer waits for ${check.fileId}`;
    const moderation = moderationOf(day.textVerdict ?? 'pass', media);
    await tx.collection(CHECKINS).doc(check.target.id).update({ data: { media, visibility: moderation === 'passed' && !day.takedown ? 'visible' : 'held' } });
    if (moderation === 'held' && !day.takedown) await queueHeldItem(tx, { kind: 'checkin', itemId: day.publicId, courseId: day.courseId, excerpt: day.text ?? '[图片]' }, now);
    return `check-in ${check.target.id}: ${verdict}, now ${moderation}`;
  });
}

/** Recent check-ins of a course shown to its learners, newest first. */
const RECENT_SHOWN = 20;

/**
 * The 打卡 page: the learner's tally in the course (today, streak, total, this month's days) and the
 * latest check-ins other learners may see (content-checked; held ones are left out, but the learner sees
 * their own). Requests: the course and the entitlements; then the tally and the recent check-ins at once: 4.
 */
export async function listCheckIns(db: Database, files: Storage, openid: string, courseId: string, now: Date): Promise<ListCheckInsResponse> {
  const course = await studiedCourse(db, openid, courseId, now, CHECK_IN_REFUSAL);
  const _ = db.command;
  const [tallies, recent] = await Promise.all([
    db.collection<CheckInTally>(CHECKINS).where({ _id: tallyId(openid, courseId) }).get(),
    db
      .collection<CheckInDay>(CHECKINS)
      .where(_.or([{ courseId, kind: 'day', visibility: 'visible' }, { courseId, kind: 'day', openid }]))
      .orderBy('createdAt', 'desc')
      .limit(RECENT_SHOWN)
      .get(),
  ]);
  // Pictures WeChat passed, and the learner's own while checked.
  const shown = recent.data.map((d) => (d.media ?? []).filter((m) => m.check === 'pass' || d.openid === openid).map((m) => m.fileId));
  const urls = await files.tempUrls(shown.flat(), PICTURE_SECONDS);
  const today = beijingDay(now);
  const session = course.schedule?.sessions.find((s) => s.task && beijingDay(new Date(s.startAt)) === today);
  return {
    ...summaryOf(tallies.data[0] ?? null, today, course.schedule),
    today,
    ...(session?.task ? { task: { title: session.title, text: session.task } } : {}),
    recent: recent.data.map((d, i) => ({
      id: d.publicId,
      nickname: d.nickname,
      avatarUrl: d.avatarUrl,
      ...(d.text ? { text: d.text } : {}),
      images: shown[i]!.map((fileId) => urls.get(fileId) ?? ''),
      day: d.day,
      createdAt: d.createdAt,
      mine: d.openid === openid,
      ...(d.visibility === 'held' ? { held: true } : {}),
    })),
  };
}
