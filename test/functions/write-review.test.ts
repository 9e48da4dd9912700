import type { Course } from '../../domain/catalog/model';
import type { CourseDetail, ListReviewsResponse, WriteReviewResponse } from '../../domain/contracts/catalog';
import { buy, call, ok } from '../support/commerce';
import { connectSdk, uniqueName } from '../support/sdk';

/** Reviews by learners (issue 10): one per learner and course, content-checked, the course's rating kept without a scan. */
const db = connectSdk().database();
const COURSE = 'ppt-camp';

const learner = () => uniqueName('o-reviewer');
const write = (openid: string, rating: number, content: string) => call<WriteReviewResponse>(openid, 'writeReview', { courseId: COURSE, rating, content });
const stats = async () => (await db.collection<Course>('courses').doc(COURSE).get()).data.stats;

async function buyer() {
  const openid = learner();
  await buy(openid, { courseId: COURSE });
  return openid;
}

describe('writeReview', () => {
  it('adds a learner’s review to the course and its rating; writing again replaces it', async () => {
    const me = await buyer();
    const before = await stats();
    const first = await write(me, 4, '训练营节奏紧凑，作业点评很用心');
    expect(first.reply).toMatchObject({ ok: true, data: { replaced: false, held: false, review: { rating: 4, content: '训练营节奏紧凑，作业点评很用心' } } });
    // The course, the entitlements and the profile at once; begin, the earlier review, the review, the counters, commit.
    expect(first.dbRequests).toBe(8);
    expect(await stats()).toMatchObject({ ratingSum: before.ratingSum + 4, ratingCount: before.ratingCount + 1 });

    const again = await write(me, 2, '后两天的直播延期了，有点失望');
    expect(again.reply).toMatchObject({ ok: true, data: { replaced: true, review: { rating: 2 } } });
    expect(await stats()).toMatchObject({ ratingSum: before.ratingSum + 2, ratingCount: before.ratingCount + 1 });
    expect((await db.collection('reviews').where({ openid: me }).get()).data).toHaveLength(1);

    const page = await ok<ListReviewsResponse>(learner(), 'listReviews', { courseId: COURSE });
    expect(page.data.reviews[0]).toMatchObject({ content: '后两天的直播延期了，有点失望', rating: 2 });
  });

  it('refuses risky words, and keeps doubtful ones out of the course page and its rating', async () => {
    const me = await buyer();
    expect((await write(me, 5, '想要课件的加微信领取')).reply).toEqual({ ok: false, code: 'CONTENT_REJECTED', message: '评价内容可能包含违规信息，请修改后再提交' });
    const before = await stats();
    expect((await write(me, 1, '讲师简直是个笨蛋吧')).reply).toMatchObject({ ok: true, data: { held: true } });
    expect(await stats()).toEqual(before);
    const detail = await ok<CourseDetail>(learner(), 'getCourse', { courseId: COURSE });
    expect(detail.data.latestReviews.map((r) => r.content)).not.toContain('讲师简直是个笨蛋吧');
    const page = await ok<ListReviewsResponse>(learner(), 'listReviews', { courseId: COURSE, pageSize: 20 });
    expect(page.data.reviews.map((r) => r.content)).not.toContain('讲师简直是个笨蛋吧');
  });

  it('is for learners of the course, with a rating of 1 to 5 and a few words at least', async () => {
    expect((await write(learner(), 5, '看起来很不错的课程')).reply).toEqual({ ok: false, code: 'FORBIDDEN', message: '学习这门课程后才能评价' });
    const me = await buyer();
    expect((await write(me, 6, '看起来很不错的课程')).reply).toMatchObject({ ok: false, code: 'INVALID_INPUT', message: expect.stringContaining('请给课程打 1 到 5 星') });
    expect((await write(me, 5, '不错')).reply).toMatchObject({ ok: false, code: 'INVALID_INPUT', message: expect.stringContaining('评价至少写 5 个字') });
  });
});
