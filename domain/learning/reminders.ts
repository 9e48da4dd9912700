/**
 * Reminders before a live lesson or a camp's day (the `live-reminder` template, 直播开始提醒, long-term):
 * a learner who may study the course asks for them (`subscribeReminder`, after accepting the template in
 * the mini program), and the `sendReminders` timer tells each subscriber still entitled, once per session,
 * with an in-app message too.
 */
import type { Database } from '../../server/database';
import { isDuplicateKey } from '../../server/database';
import type { Messages } from '../../server/messages';
import { accessTo, courseEntitlementId, ENTITLEMENTS, membershipEntitlementId, type Entitlement, entitlementsFor } from '../access/entitlements';
import { COURSES } from '../catalog/courses';
import { LESSONS } from '../catalog/lessons';
import type { Course, Lesson } from '../catalog/model';
import type { SendRemindersReport, SubscribeReminderResponse } from '../contracts/reminders';
import { DomainError } from '../errors';
import { beijingMinute, thing } from '../messages/fields';
import { MESSAGES, type InboxMessage } from '../messages/inbox';

export const REMINDERS = 'reminders';

/** A session is announced when it starts within this long: every run of a 5-minute timer sees it three times. */
export const REMINDER_LEAD_MS = 15 * 60_000;
/** Subscribers read (and their entitlements checked) this many at a time. */
export const SUBSCRIBER_PAGE = 100;
/** Messages sent at once: WeChat's send API and the inserts stay well under the database's QPS. */
const SEND_CONCURRENCY = 10;
/** A run stops taking new pages after this long (the function's timeout is 60 s); the next run goes on from the cursor. */
const RUN_BUDGET_MS = 40_000;

/** A learner's request to be reminded of a course's sessions: `<openid>:<courseId>`. */
export interface ReminderSubscription {
  _id: string;
  kind: 'subscription';
  openid: string;
  courseId: string;
  /** subscribers are paged in this order, so one who subscribes later is found after a session's cursor */
  subscribedAt: Date;
}

/** How far the runs got through one session's subscribers: `run:<session key>`. */
export interface ReminderRun {
  _id: string;
  kind: 'run';
  courseId: string;
  /** the last subscriber handled, in paging order */
  cursor: { subscribedAt: Date; id: string } | null;
  updatedAt: Date;
}

export const subscriptionId = (openid: string, courseId: string) => `${openid}:${courseId}`;

type ReminderCourse = Pick<Course, '_id' | 'title' | 'price' | 'form' | 'schedule' | 'outline'>;

/** A course has something to be reminded of: a live lesson, or a camp's dated days. */
const hasSessions = (course: Pick<Course, 'form' | 'schedule' | 'outline'>) =>
  (course.form === 'camp' && (course.schedule?.sessions.length ?? 0) > 0) || course.outline.some((c) => c.lessons.some((l) => l.type === 'live'));

/**
 * Records that the learner accepted the reminders of a course they may study (free, bought, membership).
 * The same learner again changes nothing but the time. Requests: the course and the entitlements at once,
 * the write (3).
 */
export async function subscribeReminder(db: Database, openid: string, courseId: string, now: Date): Promise<SubscribeReminderResponse> {
  const [courses, entitlements] = await Promise.all([
    db.collection<Course>(COURSES).where({ _id: courseId, status: 'published' }).field({ price: true, form: true, schedule: true, outline: true }).get(),
    entitlementsFor(db, openid, courseId),
  ]);
  const course = courses.data[0];
  if (!course) throw new DomainError('NOT_FOUND', '课程不存在或已下架');
  if (!hasSessions(course)) throw new DomainError('INVALID_INPUT', '这门课程没有直播或训练营日程，无需开课提醒');
  if (accessTo(course, entitlements, now) === null) throw new DomainError('FORBIDDEN', '购买课程后才能订阅开课提醒');
  const subscription: Omit<ReminderSubscription, '_id'> = { kind: 'subscription', openid, courseId, subscribedAt: now };
  await db.collection<Omit<ReminderSubscription, '_id'>>(REMINDERS).doc(subscriptionId(openid, courseId)).set({ data: subscription });
  return { subscribed: true };
}

/** Something about to start: a live lesson, or a camp's day. */
interface Session {
  /** `<courseId>:<start ms>`: a camp's live lesson on its day's hour is one session, announced once */
  key: string;
  course: Pick<Course, '_id' | 'price'>;
  /** what the message names (a `thing`: 20 characters at most) */
  title: string;
  startAt: Date;
  /** the page the message opens */
  page: string;
  inbox: { title: string; body: string };
}

/** The hour a session starts, Beijing time: 09:05. */
const clock = (at: Date) => beijingMinute(at).slice(11);

/** The sessions starting after `now` and within the lead: live lessons first, then camp days at other hours. */
async function upcomingSessions(db: Database, now: Date): Promise<Session[]> {
  const _ = db.command;
  const until = new Date(now.getTime() + REMINDER_LEAD_MS);
  const [lives, camps] = await Promise.all([
    db
      .collection<Lesson>(LESSONS)
      .where({ type: 'live', liveAt: _.gt(now).and(_.lte(until)) })
      .field({ courseId: true, title: true, liveAt: true, visibility: true })
      .limit(100)
      .get(),
    db
      .collection<Course>(COURSES)
      .where({ status: 'published', form: 'camp', 'schedule.endAt': _.gte(now) })
      .field({ title: true, price: true, schedule: true })
      .limit(100)
      .get(),
  ]);
  const liveLessons = lives.data.filter((l) => l.visibility !== 'held');
  const campIds = new Set(camps.data.map((c) => c._id));
  const missing = [...new Set(liveLessons.map((l) => l.courseId))].filter((id) => !campIds.has(id));
  const others = missing.length
    ? (await db.collection<Course>(COURSES).where({ _id: _.in(missing), status: 'published' }).field({ title: true, price: true }).limit(100).get()).data
    : [];
  const courses = new Map<string, Pick<ReminderCourse, '_id' | 'title' | 'price'>>([...camps.data, ...others].map((c) => [c._id, c]));

  const sessions = new Map<string, Session>();
  for (const lesson of liveLessons) {
    const course = courses.get(lesson.courseId);
    if (!course) continue;
    const startAt = lesson.liveAt!;
    const key = `${course._id}:${startAt.getTime()}`;
    sessions.set(key, {
      key,
      course,
      title: thing(lesson.title),
      startAt,
      page: `packages/course/lesson/index?id=${lesson._id}`,
      inbox: { title: '直播即将开始', body: `《${course.title}》的直播「${lesson.title}」将于 ${clock(startAt)} 开始，别错过。` },
    });
  }
  for (const camp of camps.data) {
    for (const day of camp.schedule?.sessions ?? []) {
      if (day.startAt <= now || day.startAt > until) continue;
      const key = `${camp._id}:${day.startAt.getTime()}`;
      if (sessions.has(key)) continue;
      sessions.set(key, {
        key,
        course: camp,
        title: thing(`${camp.title}·${day.title}`),
        startAt: day.startAt,
        page: `packages/learn/checkin/index?courseId=${camp._id}`,
        inbox: { title: '训练营今日开课', body: `《${camp.title}》${day.title} 将于 ${clock(day.startAt)} 开始${day.task ? `，今日任务：${day.task}` : ''}。` },
      });
    }
  }
  return [...sessions.values()];
}

/** What one subscriber's turn came to. */
type Outcome = 'sent' | 'inAppOnly' | 'alreadySent' | 'notEntitled';

/**
 * Tells one subscriber about a session, once: the in-app message, with an id made of the session and the
 * learner, is inserted first, and only the run whose insert succeeds sends the subscription message. Two runs
 * at once, or a run again, find it taken and send nothing. A send that fails is not tried again (the learner
 * has the in-app message); one lost to a crash between the two is the price of never sending twice.
 */
async function remind(db: Database, messages: Messages, session: Session, openid: string, now: Date): Promise<Outcome> {
  const message: InboxMessage & { _id: string } = {
    _id: `liveReminder:${session.key}:${openid}`,
    openid,
    kind: 'liveReminder',
    title: session.inbox.title,
    body: session.inbox.body,
    page: session.page,
    read: false,
    createdAt: now,
  };
  try {
    await db.collection<InboxMessage>(MESSAGES).add({ data: message });
  } catch (e) {
    if (isDuplicateKey(e)) return 'alreadySent';
    throw e;
  }
  try {
    const outcome = await messages.notify({ purpose: 'liveReminder', touser: openid, page: session.page, values: { title: session.title, startAt: beijingMinute(session.startAt) } });
    return outcome === 'sent' ? 'sent' : 'inAppOnly';
  } catch (e) {
    console.error(`live reminder ${message._id} not sent:`, e);
    return 'inAppOnly';
  }
}

/** Runs `work` over `items`, `limit` at a time. */
async function inBatches<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let i = 0; i < items.length; i += limit) results.push(...(await Promise.all(items.slice(i, i + limit).map(work))));
  return results;
}

/**
 * The timer's run: every session starting within the lead, every subscriber of its course (in pages of
 * `SUBSCRIBER_PAGE`, from where the last run got to) who may still study it. A page's entitlements are read
 * in one query; each subscriber costs one insert (the in-app message, which is also the "sent" marker) and
 * one send. The cursor is saved after each page, so the next run starts after it and only meets those who
 * subscribed since; a run that goes over its budget leaves the rest to the next one.
 *
 * Requests with no session coming: 2. Per session: its cursor (all at once: 1), then per page the
 * subscribers, their entitlements and the cursor's write (3), plus one insert per entitled subscriber.
 */
export async function sendReminders(db: Database, messages: Messages, now: Date, clockMs: () => number = Date.now): Promise<SendRemindersReport> {
  const started = clockMs();
  const _ = db.command;
  const report: SendRemindersReport = { sessions: 0, sent: 0, inAppOnly: 0, alreadySent: 0, notEntitled: 0, unfinished: 0 };
  const sessions = await upcomingSessions(db, now);
  report.sessions = sessions.length;
  if (!sessions.length) return report;
  const runIds = sessions.map((s) => `run:${s.key}`);
  const runs = new Map((await db.collection<ReminderRun>(REMINDERS).where({ _id: _.in(runIds) }).limit(runIds.length).get()).data.map((r) => [r._id, r]));

  for (const session of sessions) {
    const runId = `run:${session.key}`;
    let cursor = runs.get(runId)?.cursor ?? null;
    for (;;) {
      if (clockMs() - started > RUN_BUDGET_MS) {
        report.unfinished++;
        break;
      }
      const ofCourse = { courseId: session.course._id, kind: 'subscription' };
      const page = (
        await db
          .collection<ReminderSubscription>(REMINDERS)
          .where(cursor ? _.and([ofCourse, _.or([{ subscribedAt: _.gt(cursor.subscribedAt) }, { subscribedAt: cursor.subscribedAt, _id: _.gt(cursor.id) }])]) : ofCourse)
          .orderBy('subscribedAt', 'asc')
          .orderBy('_id', 'asc')
          .limit(SUBSCRIBER_PAGE)
          .get()
      ).data;
      if (!page.length) break;
      const entitled = await stillEntitled(db, session.course, page, now);
      const outcomes = await inBatches(page, SEND_CONCURRENCY, (s) => (entitled.has(s.openid) ? remind(db, messages, session, s.openid, now) : Promise.resolve<Outcome>('notEntitled')));
      for (const outcome of outcomes) report[outcome]++;
      const last = page[page.length - 1]!;
      cursor = { subscribedAt: last.subscribedAt, id: last._id };
      const run: Omit<ReminderRun, '_id'> = { kind: 'run', courseId: session.course._id, cursor, updatedAt: now };
      await db.collection<Omit<ReminderRun, '_id'>>(REMINDERS).doc(runId).set({ data: run });
      if (page.length < SUBSCRIBER_PAGE) break;
    }
  }
  return report;
}

/** Which of a page of subscribers may still study the course (a refund revokes, a membership lapses): one query. */
async function stillEntitled(db: Database, course: Pick<Course, '_id' | 'price'>, page: ReminderSubscription[], now: Date): Promise<Set<string>> {
  if (course.price.amount === 0) return new Set(page.map((s) => s.openid));
  const ids = page.flatMap((s) => [courseEntitlementId(s.openid, course._id), membershipEntitlementId(s.openid)]);
  const { data } = await db.collection<Entitlement>(ENTITLEMENTS).where({ _id: db.command.in(ids) }).limit(ids.length).get();
  const byLearner = new Map<string, Entitlement[]>();
  for (const e of data) byLearner.set(e.openid, [...(byLearner.get(e.openid) ?? []), e]);
  return new Set(page.filter((s) => accessTo(course, byLearner.get(s.openid) ?? [], now) !== null).map((s) => s.openid));
}
