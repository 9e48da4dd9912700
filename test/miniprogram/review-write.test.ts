import type { Review } from '../../domain/catalog/model';
import { connectSdk } from '../support/sdk';
import { newLearner, renderPage } from '../support/miniprogram';
import { boughtElsewhere, openCourse } from '../support/pages';
import { staffOk } from '../support/staff';

/** Writing a review: from the course page of a course the learner studies, to the review on the course. */
const db = connectSdk().database();
const COURSE = 'ppt-camp';

describe('writing a review', () => {
  it('is offered on the course page to a learner who studies it, and not to others', async () => {
    const me = newLearner();
    await boughtElsewhere(me, { courseId: COURSE });
    const page = openCourse(me, COURSE);
    await page.settle();
    page.tap('.detail__write-review');
    await page.settle();
    expect(page.wxCalls('navigateTo')).toEqual([{ url: `/packages/course/review-write/index?courseId=${COURSE}` }]);

    const stranger = openCourse(newLearner(), COURSE);
    await stranger.settle();
    expect(stranger.exists('.detail__write-review')).toBe(false);
  });

  it('publishes the stars and the words the learner chose, then goes back', async () => {
    const me = newLearner();
    await boughtElsewhere(me, { courseId: COURSE });
    const page = renderPage('packages/course/review-write/index', { openid: me, query: { courseId: COURSE } });
    await page.settle();
    page.trigger('.write__rate', 'change', { value: 4 });
    page.component.querySelector('.write__content')!.dispatchEvent('input', { detail: { value: '直播答疑很及时，作业点评也很细' } });
    await page.settle();
    page.tap('.write__submit');
    await page.settle();
    expect(page.wxCalls('showToast')).toEqual([{ title: '评价已发布', icon: 'none' }]);
    expect(page.wxCalls('navigateBack')).toHaveLength(1);
    expect((await db.collection<Review>('reviews').doc(`${me}:${COURSE}`).get()).data).toMatchObject({ rating: 4, content: '直播答疑很及时，作业点评也很细', visibility: 'visible' });
  });

  it('says what to fix when the words are too few', async () => {
    const me = newLearner();
    await boughtElsewhere(me, { courseId: COURSE });
    const page = renderPage('packages/course/review-write/index', { openid: me, query: { courseId: COURSE } });
    await page.settle();
    page.component.querySelector('.write__content')!.dispatchEvent('input', { detail: { value: '好' } });
    await page.settle();
    page.tap('.write__submit');
    await page.settle();
    expect(page.wxCalls('showToast')).toEqual([{ title: expect.stringContaining('评价至少写 5 个字'), icon: 'none' }]);
    expect(page.wxCalls('navigateBack')).toEqual([]);
  });

  it('tells the learner that a review staff hid stays hidden after the rewrite', async () => {
    const me = newLearner();
    await boughtElsewhere(me, { courseId: COURSE });
    const write = async (content: string) => {
      const page = renderPage('packages/course/review-write/index', { openid: me, query: { courseId: COURSE } });
      await page.settle();
      page.component.querySelector('.write__content')!.dispatchEvent('input', { detail: { value: content } });
      await page.settle();
      page.tap('.write__submit');
      await page.settle();
      return page;
    };
    await write('作业太多，跟不上节奏');
    const { publicId } = (await db.collection<Review>('reviews').doc(`${me}:${COURSE}`).get()).data;
    await staffOk('support', 'moderateReview', { id: publicId, decision: 'hide' });

    const page = await write('作业多，但是练得扎实');
    expect(page.wxCalls('showModal')).toEqual([expect.objectContaining({ title: '评价已保存', content: '你的评价已被管理员隐藏，修改后仍不公开', showCancel: false })]);
    expect(page.wxCalls('showToast')).toEqual([]);
    expect(page.wxCalls('navigateBack')).toHaveLength(1);
    expect((await db.collection<Review>('reviews').doc(`${me}:${COURSE}`).get()).data).toMatchObject({ content: '作业多，但是练得扎实', visibility: 'held' });
  });
});
