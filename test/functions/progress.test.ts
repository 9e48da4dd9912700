import type { Course } from '../../domain/catalog/model';
import type { LessonView, ListMyCoursesResponse } from '../../domain/contracts/catalog';
import type { RequestRefundResponse } from '../../domain/contracts/refunds';
import type { Order } from '../../domain/orders/model';
import type { SaveProgressRequest, SaveProgressResponse, StudySummary } from '../../domain/contracts/learning';
import type { LessonProgress, ProgressState } from '../../domain/learning/model';
import { beijingWeek } from '../../domain/learning/calendar';
import { CREDIT_SLACK_SEC, FASTEST_RATE, hashOf, progressId } from '../../domain/learning/progress';
import { buy, call, ok } from '../support/commerce';
import { connectSdk, uniqueName } from '../support/sdk';

/**
 * Lesson progress (issue 10): getLesson opens the record, the player's saves are credited from the ranges
 * it really played, never beyond the wall clock since the lesson was opened, in one request a save.
 */
const db = connectSdk().database();

const COURSE = 'excel-basics';
/** a paid lesson of 494 s */
const LESSON = 'excel-basics-03';
const DURATION = 494;
/** a paid lesson of a course the buyers here do not hold */
const OTHER_COURSE_LESSON = 'excel-advanced-02';

const learner = () => uniqueName('o-progress');
const open = (openid: string, lessonId = LESSON) => ok<LessonView>(openid, 'getLesson', { lessonId });
const save = (openid: string, request: Omit<SaveProgressRequest, 'lessonId'> & { lessonId?: string }) =>
  ok<SaveProgressResponse>(openid, 'saveProgress', { lessonId: LESSON, ...request });
const recordOf = async (openid: string, lessonId = LESSON) => (await db.collection<LessonProgress>('progress').doc(progressId(openid, lessonId)).get()).data;

/**
 * Data setup, not a mock: the record as if the learner had opened the lesson `minutes` earlier (its state
 * hashed again, as the server would have written it), and the state the player would hold.
 */
async function openedMinutesAgo(openid: string, minutes: number, change: Partial<ProgressState> = {}): Promise<ProgressState> {
  const record = await recordOf(openid);
  const state: ProgressState = {
    rev: record.rev,
    ranges: record.ranges,
    openedAt: record.openedAt - minutes * 60_000,
    accessUntil: record.accessUntil,
    courseId: record.courseId,
    durationSec: record.durationSec,
    ...change,
  };
  await db.collection('progress').doc(progressId(openid, LESSON)).update({ data: { ...state, stateHash: hashOf(openid, LESSON, state) } });
  return state;
}

async function buyer() {
  const openid = learner();
  await buy(openid, { courseId: COURSE });
  return openid;
}

describe('opening a lesson', () => {
  it('starts the record on the first open, answers where to resume, and reads it after', async () => {
    const me = await buyer();
    const first = await open(me);
    expect(first.data.progress).toEqual({ watchedSec: 0, completed: false, positionSec: 0, state: expect.objectContaining({ rev: 1, ranges: [], courseId: COURSE, durationSec: DURATION }) });
    // The lesson; the course, the entitlements, the record and the profile (the watermark) at once; the record's creation.
    expect(first.dbRequests).toBe(6);
    const again = await open(me);
    expect(again.data.progress).toEqual(first.data.progress);
    expect(again.dbRequests).toBe(5);
  });

  it('keeps no record for a locked lesson, and refuses saves of it', async () => {
    const me = await buyer();
    expect((await open(me, OTHER_COURSE_LESSON)).data).toEqual({ lesson: expect.objectContaining({ id: OTHER_COURSE_LESSON }), access: 'locked' });
    const stranger = learner();
    expect((await open(stranger)).data).toEqual(expect.objectContaining({ access: 'locked' }));
    expect((await call(stranger, 'saveProgress', { lessonId: LESSON, ranges: [[0, 30]], positionSec: 30 })).reply).toEqual({
      ok: false,
      code: 'FORBIDDEN',
      message: '购买课程后才能记录学习进度',
    });
    expect((await db.collection('progress').where({ openid: stranger }).get()).data).toEqual([]);
  });
});

describe('saving progress', () => {
  it('credits the ranges played, overlaps once, in one request a save', async () => {
    const me = await buyer();
    await open(me);
    let state = await openedMinutesAgo(me, 3);
    const first = await save(me, { ranges: [[0, 60]], positionSec: 60, state });
    expect(first.data).toMatchObject({ watchedSec: 60, completed: false, positionSec: 60 });
    expect(first.dbRequests).toBe(1);
    state = first.data.state;
    const second = await save(me, { ranges: [[30, 90], [120, 150]], positionSec: 150, state });
    expect(second.data).toMatchObject({ watchedSec: 120, positionSec: 150 });
    expect(second.data.state.ranges).toEqual([
      [0, 90],
      [120, 150],
    ]);
    expect(second.dbRequests).toBe(1);
    expect(await recordOf(me)).toMatchObject({ openid: me, lessonId: LESSON, courseId: COURSE, watchedSec: 120, positionSec: 150, completed: false });
  });

  it('completes nothing by seeking to the end, and a lesson at 90% of its duration played', async () => {
    const me = await buyer();
    await open(me);
    const state = await openedMinutesAgo(me, 10);
    const seeked = await save(me, { ranges: [[DURATION - 5, DURATION + 60]], positionSec: DURATION, state });
    expect(seeked.data).toMatchObject({ watchedSec: 5, completed: false, positionSec: DURATION });

    const nearly = await save(me, { ranges: [[0, Math.floor(DURATION * 0.9) - 10]], positionSec: 400, state: seeked.data.state });
    expect(nearly.data.completed).toBe(false);
    const done = await save(me, { ranges: [[0, Math.ceil(DURATION * 0.9)]], positionSec: 445, state: nearly.data.state });
    expect(done.data).toMatchObject({ completed: true });
    expect(await recordOf(me)).toMatchObject({ completed: true, completedAt: expect.any(Date) });
  });

  it('never credits one call posting a whole lesson beyond the wall clock since it was opened', async () => {
    const me = await buyer();
    const opened = Date.now();
    const { data } = await open(me);
    const whole = await save(me, { ranges: [[0, DURATION]], positionSec: DURATION, state: data.progress!.state });
    const bound = (FASTEST_RATE * (Date.now() - opened)) / 1000 + CREDIT_SLACK_SEC;
    expect(whole.data.watchedSec).toBeLessThanOrEqual(Math.ceil(bound));
    expect(whole.data.completed).toBe(false);

    // Two minutes after opening, at the fastest rate: four minutes of the lesson at most.
    const state = await openedMinutesAgo(me, 2, { ranges: whole.data.state.ranges, rev: whole.data.state.rev });
    const later = await save(me, { ranges: [[0, DURATION]], positionSec: DURATION, state });
    const allowed = (FASTEST_RATE * (Date.now() - state.openedAt)) / 1000 + CREDIT_SLACK_SEC;
    expect(later.data.watchedSec).toBeGreaterThanOrEqual(240);
    expect(later.data.watchedSec).toBeLessThanOrEqual(Math.ceil(allowed));
    expect(later.data.completed).toBe(false);
  });

  it('merges nothing from a state the server did not write: the record is read instead', async () => {
    const me = await buyer();
    await open(me);
    const state = await openedMinutesAgo(me, 10);
    const made = await save(me, { ranges: [], positionSec: 0, state: { ...state, ranges: [[0, DURATION]] } });
    expect(made.data).toMatchObject({ watchedSec: 0, completed: false });
    // The forged state's write failed; then the lesson, the course, entitlements and record at once, the write.
    expect(made.dbRequests).toBe(6);
    expect((await recordOf(me)).ranges).toEqual([]);
  });

  it('checks access again when the check on record is due, handing out a fresh media URL', async () => {
    const me = await buyer();
    await open(me);
    const state = await openedMinutesAgo(me, 10, { accessUntil: Date.now() - 1000 });
    const due = await save(me, { ranges: [[0, 60]], positionSec: 60, state });
    expect(due.data).toMatchObject({ watchedSec: 60, media: { url: expect.stringContaining('/storage/'), expiresAt: expect.any(String) } });
    expect(due.data.state.accessUntil).toBeGreaterThan(Date.now());
    // The lesson; the course and the entitlements at once; the write conditioned on the state it carried.
    expect(due.dbRequests).toBe(4);
    expect((await fetch(due.data.media!.url, { headers: { range: 'bytes=0-99' } })).status).toBe(206);
    const next = await save(me, { ranges: [[60, 120]], positionSec: 120, state: due.data.state });
    expect(next.dbRequests).toBe(1);
    expect(next.data).not.toHaveProperty('media');
  });

  it('credits two saves at once of the same state both, neither overwriting the other', async () => {
    const me = await buyer();
    await open(me);
    const state = await openedMinutesAgo(me, 10);
    const [a, b] = await Promise.all([
      save(me, { ranges: [[0, 60]], positionSec: 60, state }),
      save(me, { ranges: [[200, 260]], positionSec: 260, state }),
    ]);
    expect([a.data.watchedSec, b.data.watchedSec].sort((x, y) => x - y)).toEqual([60, 120]);
    expect((await recordOf(me)).ranges).toEqual([
      [0, 60],
      [200, 260],
    ]);
  });

  it('refuses ranges that end before they start, and more than 100 at once', async () => {
    const me = await buyer();
    expect((await call(me, 'saveProgress', { lessonId: LESSON, ranges: [[60, 30]], positionSec: 0 })).reply).toMatchObject({ ok: false, code: 'INVALID_INPUT', message: expect.stringContaining('播放区间的结束不能早于开始') });
    const many = Array.from({ length: 101 }, (_, i): [number, number] => [i, i + 0.5]);
    expect((await call(me, 'saveProgress', { lessonId: LESSON, ranges: many, positionSec: 0 })).reply).toMatchObject({ ok: false, code: 'INVALID_INPUT', message: expect.stringContaining('一次最多上报 100 段播放区间') });
  });
});

describe('what progress feeds', () => {
  it('shows in 我的课程 (lessons completed, share played, the lesson to continue) and in a refund request', async () => {
    const me = learner();
    const orderId = await buy(me, { courseId: COURSE });
    await open(me);
    const state = await openedMinutesAgo(me, 10);
    await save(me, { ranges: [[0, DURATION]], positionSec: 470, state });

    const { data, dbRequests } = await ok<ListMyCoursesResponse>(me, 'listMyCourses', {});
    const course = data.courses.find((c) => c.id === COURSE)!;
    const { durationSec } = (await db.collection<Course>('courses').doc(COURSE).get()).data;
    expect(course.progress).toEqual({ completedLessons: 1, watchedShare: Math.round((DURATION / durationSec) * 1000) / 1000, lastLesson: { id: LESSON, positionSec: 470 } });
    // The entitlements and the membership at once; the courses and the progress records at once.
    expect(dbRequests).toBe(4);

    const requested = await ok<RequestRefundResponse>(me, 'requestRefund', { orderId, reason: '课程不适合我' });
    expect(requested.data.order.status).toBe('refundRequested');
    const { refund } = (await db.collection<Order>('orders').doc(orderId).get()).data;
    expect(refund!.consumed).toBeCloseTo(1 / course.lessonCount, 5);
  });

  it('says nothing was studied yet for a course not started', async () => {
    const me = await buyer();
    const { data } = await ok<ListMyCoursesResponse>(me, 'listMyCourses', {});
    expect(data.courses.find((c) => c.id === COURSE)!.progress).toEqual({ completedLessons: 0, watchedShare: 0 });
  });

  it('sums this week’s learning, the streak and the lesson to continue for 我的', async () => {
    const me = learner();
    expect((await ok<StudySummary>(me, 'getStudySummary')).data).toEqual({ weekMinutes: 0, streak: 0, unreadMessages: 0 });
    await buy(me, { courseId: COURSE });
    await open(me);
    const state = await openedMinutesAgo(me, 10);
    await save(me, { ranges: [[0, 300]], positionSec: 300, state });
    await ok(me, 'checkIn', { courseId: COURSE });

    const { data, dbRequests } = await ok<StudySummary>(me, 'getStudySummary');
    expect(data).toEqual({
      weekMinutes: 5,
      streak: 1,
      unreadMessages: 0,
      continue: { lessonId: LESSON, lessonTitle: '单元格格式一次讲透', courseId: COURSE, courseTitle: 'Excel 零基础到高效办公', positionSec: 300, durationSec: DURATION, completed: false },
    });
    // This week's records, the last one, the tallies and the unread count at once; the lesson and the course at once.
    expect(dbRequests).toBe(6);
    expect((await recordOf(me)).weeks).toEqual({ [beijingWeek(new Date())]: 300 });
  });
});
