import type { Course } from '../../domain/catalog/model';
import type { ListReviewsResponse, WriteReviewResponse } from '../../domain/contracts/catalog';
import type { ListCheckInsResponse } from '../../domain/contracts/learning';
import type { ListCheckInsAdminResponse, ListReportsResponse, ListReviewsAdminResponse, ModerateContentResponse } from '../../domain/contracts/moderation';
import type { ListAuditResponse } from '../../domain/contracts/staff';
import { buy, ok } from '../support/commerce';
import { connectSdk, uniqueName } from '../support/sdk';
import { callAsStaff, staffOk, uidOf } from '../support/staff';

/**
 * The console's 评价管理 and 打卡管理 (issue 11): staff hide any review (support) or check-in (teachers) from
 * learners, reported or not, and show it again; the reports queue agrees, and the audit log records each.
 */
const db = connectSdk().database();
const REVIEWED = 'talk-meeting';
/** A free course: every learner studies it, so anyone checks in and sees others' check-ins. */
const FREE = 'gongkao-intro';

const learner = () => uniqueName('o-moderated');
const rating = async (courseId: string) => (await db.collection<Course>('courses').doc(courseId).get()).data.stats;
const reviewIds = async () => (await ok<ListReviewsResponse>(learner(), 'listReviews', { courseId: REVIEWED, pageSize: 20 })).data.reviews.map((r) => r.id);
const checkInIds = async () => (await ok<ListCheckInsResponse>(learner(), 'listCheckIns', { courseId: FREE })).data.recent.map((c) => c.id);
const adminReviews = async (req: Record<string, unknown>) => (await staffOk<ListReviewsAdminResponse>('support', 'listReviewsAdmin', { courseId: REVIEWED, pageSize: 20, ...req })).data.items;
const adminCheckIns = async (req: Record<string, unknown>) => (await staffOk<ListCheckInsAdminResponse>('teacher', 'listCheckInsAdmin', { courseId: FREE, pageSize: 20, ...req })).data.items;
const auditOf = async (id: string) => (await staffOk<ListAuditResponse>('owner', 'listAudit', { targetId: id })).data.entries;

async function review(content: string) {
  const author = learner();
  await buy(author, { courseId: REVIEWED });
  return (await ok<WriteReviewResponse>(author, 'writeReview', { courseId: REVIEWED, rating: 2, content })).data.review.id;
}

async function checkIn(text: string) {
  await ok(learner(), 'checkIn', { courseId: FREE, text });
  return (await adminCheckIns({})).find((c) => c.text === text)!;
}

describe('moderating reviews', () => {
  it('lets support hide any review from the course page and its rating, and restore it, each in the audit log', async () => {
    const id = await review('老师讲得不错，案例再多些就好了');
    const before = await rating(REVIEWED);
    expect((await adminReviews({ status: 'visible' })).find((r) => r.id === id)).toMatchObject({
      courseId: REVIEWED,
      courseTitle: expect.any(String),
      nickname: expect.any(String),
      rating: 2,
      content: '老师讲得不错，案例再多些就好了',
      hidden: false,
    });

    const hidden = await staffOk<ModerateContentResponse>('support', 'moderateReview', { id, decision: 'hide' });
    expect(hidden.data).toEqual({ hidden: true });
    expect(await reviewIds()).not.toContain(id);
    expect(await rating(REVIEWED)).toMatchObject({ ratingSum: before.ratingSum - 2, ratingCount: before.ratingCount - 1 });
    expect((await adminReviews({ status: 'hidden' })).find((r) => r.id === id)).toMatchObject({ hidden: true });
    expect((await adminReviews({ status: 'visible' })).map((r) => r.id)).not.toContain(id);

    expect((await staffOk<ModerateContentResponse>('support', 'moderateReview', { id, decision: 'restore' })).data).toEqual({ hidden: false });
    expect(await reviewIds()).toContain(id);
    expect(await rating(REVIEWED)).toEqual(before);

    expect(await auditOf(id)).toEqual([
      expect.objectContaining({ by: { uid: uidOf('support'), name: expect.any(String) }, action: 'reports.resolve', target: { kind: 'review', id }, summary: '恢复显示评价：老师讲得不错，案例再多些就好了', before: { hidden: true }, after: { hidden: false } }),
      expect.objectContaining({ action: 'reports.resolve', target: { kind: 'review', id }, summary: '隐藏评价：老师讲得不错，案例再多些就好了', before: { hidden: false }, after: { hidden: true } }),
    ]);
  });

  it('decides a reported review’s line of the reports queue too', async () => {
    const id = await review('这门课和宣传的不太一样');
    await ok(learner(), 'reportContent', { kind: 'review', id, reason: 'spam' });
    await staffOk('support', 'moderateReview', { id, decision: 'hide' });
    const queue = async (status: string) => (await staffOk<ListReportsResponse>('support', 'listReports', { status, pageSize: 20 })).data.items;
    expect((await queue('open')).map((i) => i.itemId)).not.toContain(id);
    expect((await queue('hidden')).find((i) => i.itemId === id)).toMatchObject({ kind: 'review', status: 'hidden', hidden: true, count: 1 });

    await staffOk('support', 'moderateReview', { id, decision: 'restore' });
    expect((await queue('kept')).find((i) => i.itemId === id)).toMatchObject({ status: 'kept', hidden: false });
    // Kept: another report is counted but does not hide it again.
    expect((await ok(learner(), 'reportContent', { kind: 'review', id, reason: 'abuse' })).data).toEqual({ added: true, hidden: false });
    expect(await reviewIds()).toContain(id);
  });
});

describe('moderating check-ins', () => {
  it('lets a teacher hide any check-in from the course’s learners, and restore it', async () => {
    const mine = await checkIn('今天背了 50 个成语');
    expect(mine).toMatchObject({ courseId: FREE, courseTitle: expect.any(String), nickname: expect.any(String), images: [], day: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/), hidden: false });
    expect(await checkInIds()).toContain(mine.id);

    expect((await staffOk<ModerateContentResponse>('teacher', 'moderateCheckIn', { id: mine.id, decision: 'hide' })).data).toEqual({ hidden: true });
    expect(await checkInIds()).not.toContain(mine.id);
    expect((await adminCheckIns({ status: 'hidden' })).find((c) => c.id === mine.id)).toMatchObject({ hidden: true, text: '今天背了 50 个成语' });
    expect((await adminCheckIns({ status: 'visible' })).map((c) => c.id)).not.toContain(mine.id);

    await staffOk('teacher', 'moderateCheckIn', { id: mine.id, decision: 'restore' });
    expect(await checkInIds()).toContain(mine.id);
    expect((await auditOf(mine.id)).map((e) => `${e.action} ${e.target.kind} ${e.by.uid} ${e.summary}`)).toEqual([
      `homework.review checkin ${uidOf('teacher')} 恢复显示打卡：今天背了 50 个成语`,
      `homework.review checkin ${uidOf('teacher')} 隐藏打卡：今天背了 50 个成语`,
    ]);
  });
});

describe('who may moderate', () => {
  it('refuses an editor, support on check-ins and teachers on reviews; an unknown item is not found', async () => {
    const id = await review('内容实用，推荐给同事了');
    const day = await checkIn('今天做了一套言语理解');
    for (const [account, name, data] of [
      ['editor', 'listReviewsAdmin', {}],
      ['editor', 'moderateReview', { id, decision: 'hide' }],
      ['editor', 'listCheckInsAdmin', {}],
      ['editor', 'moderateCheckIn', { id: day.id, decision: 'hide' }],
      ['teacher', 'moderateReview', { id, decision: 'hide' }],
      ['support', 'moderateCheckIn', { id: day.id, decision: 'hide' }],
    ] as const) {
      expect([account, name, (await callAsStaff(account, name, data)).reply]).toEqual([account, name, { ok: false, code: 'FORBIDDEN', message: '无权操作' }]);
    }
    expect(await reviewIds()).toContain(id);
    expect(await checkInIds()).toContain(day.id);
    expect((await callAsStaff('owner', 'moderateReview', { id: 'nope0000nope0000', decision: 'hide' })).reply).toEqual({ ok: false, code: 'NOT_FOUND', message: '内容不存在' });
    expect((await callAsStaff('owner', 'moderateCheckIn', { id: day.id, decision: 'delete' })).reply).toMatchObject({ ok: false, code: 'INVALID_INPUT', message: expect.stringContaining('请选择隐藏或恢复') });
  });
});
