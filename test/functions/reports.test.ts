import type { Course } from '../../domain/catalog/model';
import type { LessonView, ListReviewsResponse, WriteReviewResponse } from '../../domain/contracts/catalog';
import type { ListCheckInsResponse } from '../../domain/contracts/learning';
import type { ListReportsResponse, ReportContentResponse } from '../../domain/contracts/moderation';
import { buy, call, ok } from '../support/commerce';
import { connectSdk, uniqueName } from '../support/sdk';
import { staffOk } from '../support/staff';

/**
 * Reports (举报, issue 10): once per learner and item; an item reported by 3 learners (cloud.config.json
 * `moderation.reportThreshold`) is hidden until staff decide; staff hide it for good or keep it.
 */
const db = connectSdk().database();
/** A free course: every learner studies it, so anyone can check in, report and be reported. */
const FREE = 'gongkao-intro';

const learner = () => uniqueName('o-reporter');
const report = (openid: string, kind: string, id: string, reason = 'abuse') => call<ReportContentResponse>(openid, 'reportContent', { kind, id, reason });
const queue = async (status = 'open') => (await staffOk<ListReportsResponse>('support', 'listReports', { status, pageSize: 20 })).data.items;
const rating = async (courseId: string) => (await db.collection<Course>('courses').doc(courseId).get()).data.stats;
const reviewsOf = async (courseId: string) => (await ok<ListReviewsResponse>(learner(), 'listReviews', { courseId, pageSize: 20 })).data.reviews;

describe('reportContent', () => {
  it('hides a review reported by 3 learners, counting each learner once; staff keep it and it is back', async () => {
    const author = learner();
    await buy(author, { courseId: 'talk-meeting' });
    const written = await ok<WriteReviewResponse>(author, 'writeReview', { courseId: 'talk-meeting', rating: 1, content: '内容太水了，完全不值这个价' });
    const { id } = written.data.review;
    expect(id).not.toContain(author);
    const before = await rating('talk-meeting');

    expect((await report(author, 'review', id)).reply).toEqual({ ok: false, code: 'INVALID_INPUT', message: '不能举报自己发布的内容' });
    const [first, second] = [learner(), learner()];
    expect((await report(first, 'review', id)).reply).toEqual({ ok: true, data: { added: true, hidden: false } });
    expect((await report(first, 'review', id, 'spam')).reply).toEqual({ ok: true, data: { added: false, hidden: false } });
    expect((await report(second, 'review', id)).reply).toEqual({ ok: true, data: { added: true, hidden: false } });
    expect((await reviewsOf('talk-meeting')).map((r) => r.id)).toContain(id);

    expect((await report(learner(), 'review', id, 'spam')).reply).toEqual({ ok: true, data: { added: true, hidden: true } });
    expect((await reviewsOf('talk-meeting')).map((r) => r.id)).not.toContain(id);
    expect(await rating('talk-meeting')).toMatchObject({ ratingSum: before.ratingSum - 1, ratingCount: before.ratingCount - 1 });
    expect((await queue()).find((i) => i.itemId === id)).toMatchObject({ kind: 'review', count: 3, reasons: { abuse: 2, spam: 1 }, hidden: true, heldBySecurity: false, excerpt: '内容太水了，完全不值这个价' });
    expect((await report(learner(), 'review', id)).reply).toEqual({ ok: false, code: 'NOT_FOUND', message: '内容不存在或已在处理中' });

    expect((await staffOk('support', 'resolveReport', { kind: 'review', id, decision: 'keep' })).data).toEqual({ status: 'kept' });
    expect((await reviewsOf('talk-meeting')).map((r) => r.id)).toContain(id);
    expect(await rating('talk-meeting')).toEqual(before);
    // Kept: more reports are counted but do not hide it again.
    expect((await report(learner(), 'review', id)).reply).toEqual({ ok: true, data: { added: true, hidden: false } });
    expect((await queue('kept')).find((i) => i.itemId === id)).toMatchObject({ count: 4, status: 'kept' });
  });

  it('takes a check-in down for good when staff hide it; only the course’s learners can report it', async () => {
    const author = learner();
    await ok(author, 'checkIn', { courseId: FREE, text: '今天做完了 20 道逻辑填空' });
    const seen = await ok<ListCheckInsResponse>(learner(), 'listCheckIns', { courseId: FREE });
    const mine = seen.data.recent.find((c) => c.text === '今天做完了 20 道逻辑填空')!;
    expect(JSON.stringify(seen.data.recent)).not.toContain(author);

    expect((await report(learner(), 'checkin', mine.id, 'spam')).reply).toMatchObject({ ok: true, data: { added: true } });
    expect((await staffOk('support', 'resolveReport', { kind: 'checkin', id: mine.id, decision: 'hide' })).data).toEqual({ status: 'hidden' });
    const after = await ok<ListCheckInsResponse>(learner(), 'listCheckIns', { courseId: FREE });
    expect(after.data.recent.map((c) => c.id)).not.toContain(mine.id);
    // Its author still sees it, marked.
    const own = await ok<ListCheckInsResponse>(author, 'listCheckIns', { courseId: FREE });
    expect(own.data.recent.find((c) => c.id === mine.id)).toMatchObject({ held: true, mine: true });
  });

  it('hides a lesson reported by 3 of its learners until staff decide', async () => {
    const lessonId = 'gongkao-intro-06';
    await Promise.all([learner(), learner(), learner()].map((r) => ok(r, 'reportContent', { kind: 'lesson', id: lessonId, reason: 'copyright' })));
    expect((await call<LessonView>(learner(), 'getLesson', { lessonId })).reply).toEqual({ ok: false, code: 'FORBIDDEN', message: '该课时正在审核中，请稍后再来' });
    // Nor does a save hand out a new URL of it.
    expect((await call(learner(), 'saveProgress', { lessonId, ranges: [], positionSec: 0 })).reply).toEqual({ ok: false, code: 'FORBIDDEN', message: '该课时正在审核中，请稍后再来' });
    await staffOk('support', 'resolveReport', { kind: 'lesson', id: lessonId, decision: 'keep' });
    expect((await call<LessonView>(learner(), 'getLesson', { lessonId })).reply).toMatchObject({ ok: true, data: { access: 'free' } });
  });

  it('refuses what a learner cannot see, unknown items and bad reasons; the queue is for staff', async () => {
    expect((await report(learner(), 'lesson', 'excel-basics-05')).reply).toEqual({ ok: false, code: 'FORBIDDEN', message: '只能举报你能看到的内容' });
    expect((await report(learner(), 'review', 'nope0000nope0000')).reply).toEqual({ ok: false, code: 'NOT_FOUND', message: '内容不存在或已在处理中' });
    expect((await report(learner(), 'review', 'x', 'boring')).reply).toMatchObject({ ok: false, code: 'INVALID_INPUT', message: expect.stringContaining('请选择举报原因') });
    expect((await call(learner(), 'listReports', {})).reply).toEqual({ ok: false, code: 'FORBIDDEN', message: '无权操作' });
    expect((await call(learner(), 'resolveReport', { kind: 'review', id: 'x', decision: 'hide' })).reply).toEqual({ ok: false, code: 'FORBIDDEN', message: '无权操作' });
  });

  it('puts what content security held in the same queue', async () => {
    const author = learner();
    await buy(author, { courseId: 'talk-meeting' });
    const held = await ok<WriteReviewResponse>(author, 'writeReview', { courseId: 'talk-meeting', rating: 2, content: '讲师简直是个笨蛋吧' });
    expect((await queue()).find((i) => i.itemId === held.data.review.id)).toMatchObject({ kind: 'review', heldBySecurity: true, hidden: true, count: 0 });
    await staffOk('support', 'resolveReport', { kind: 'review', id: held.data.review.id, decision: 'keep' });
    expect((await reviewsOf('talk-meeting')).map((r) => r.id)).toContain(held.data.review.id);
  });
});
