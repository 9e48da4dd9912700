import { join } from 'node:path';
import { devToolsConfig } from '../../emulator/src/devtools-config';
import { ordersOf } from '../support/commerce';
import { newLearner, renderPage, type RenderedPage, type RenderOptions } from '../support/miniprogram';
import { boughtElsewhere, openCourse, openResult, until } from '../support/pages';
import { ALL_ROUTES, Preview } from './preview';

/**
 * `npm run preview`: every page of the mini program, in the states a learner meets, rendered by the test
 * harness against the emulator with the demo school and screenshotted to artifacts/preview/ (index.html
 * lists them). Not part of `npm test` (test/miniprogram/preview.test.ts checks the preview itself there).
 */
const preview = new Preview(join(__dirname, '../../artifacts/preview'));

async function shoot(page: RenderedPage, route: string, state: string) {
  await preview.shoot(page, route, state);
  page.unload();
}

const show = (route: string, state: string, options: RenderOptions) => shoot(renderPage(route, options), route, state);

const DETAIL = 'packages/course/detail/index';
const LESSON = 'packages/course/lesson/index';

describe('preview', () => {
  it('a new learner: the tabs, the catalog, a locked lesson, and empty lists', async () => {
    const openid = newLearner();
    await show('pages/home/index', 'a new learner', { openid });
    await show('pages/category/index', 'a new learner', { openid });
    await show('pages/me/index', 'a new learner', { openid });
    await show('pages/privacy/index', 'the privacy notice', { openid });
    await show('packages/course/search/index', 'results for “Excel”', { openid, query: { keyword: 'Excel' } });
    await show(DETAIL, 'not bought', { openid, query: { id: 'excel-basics' } });
    await show(DETAIL, 'a camp', { openid, query: { id: 'pen-camp' } });
    await show(LESSON, 'a trial lesson', { openid, query: { id: 'excel-basics-01' } });
    await show(LESSON, 'a locked lesson', { openid, query: { id: 'excel-basics-03' } });
    await show('packages/course/reviews/index', 'reviews of a course', { openid, query: { courseId: 'excel-basics', rating: '4.6', count: '5' } });
    await show('packages/order/list/index', 'no orders yet', { openid });
    await show('packages/learn/my-courses/index', 'no courses yet', { openid });
    await show('packages/learn/checkin/index', 'a camp not joined', { openid, query: { courseId: 'pen-camp' } });
    await show('packages/learn/downloads/index', 'nothing downloaded', { openid });
    await show('packages/learn/homework-list/index', 'no homework', { openid });
    await show('packages/learn/profile/index', 'a new learner', { openid });
    await show('packages/learn/messages/index', 'no messages', { openid });
    await show('packages/member/plans/index', 'not a member', { openid });
    await show('packages/growth/coupons/index', 'a new learner', { openid });
    await show('packages/growth/promoter/index', 'not a promoter', { openid });
    await show('packages/gift/list/index', 'no gifts', { openid });
    await show('packages/dev/panel/index', 'on WeChat’s cloud', { openid });
  });

  it('a learner who bought a course through the course page', async () => {
    const openid = newLearner();
    const detail = openCourse(openid, 'excel-basics');
    await detail.settle();
    detail.tap('.detail__buy');
    await detail.settle();
    const result = openResult(openid, { courseId: 'excel-basics' });
    await until(result, '购买成功');
    await shoot(result, 'packages/order/result/index', 'bought');
    detail.hideAndShow();
    await until(detail, '开始学习');
    await shoot(detail, DETAIL, 'bought');

    await show(LESSON, 'bought: the lesson opens', { openid, query: { id: 'excel-basics-03' } });
    await show('packages/learn/my-courses/index', 'one course bought', { openid });
    await show('packages/order/list/index', 'one order', { openid });
    const [order] = await ordersOf(openid);
    await show('packages/order/detail/index', 'paid', { openid, query: { id: order!._id } });
    await show('packages/course/review-write/index', 'writing a review', { openid, query: { courseId: 'excel-basics' } });
    await show('packages/learn/homework/index', 'an assignment', { openid, query: { assignmentId: 'excel-basics-03' } });
    await show('pages/me/index', 'bought a course', { openid });

    await boughtElsewhere(openid, { courseId: 'pen-camp' });
    await show('packages/learn/checkin/index', 'a camp joined', { openid, query: { courseId: 'pen-camp' } });
  });

  it('a gift to claim and a group to join', async () => {
    const giftId = await boughtElsewhere(newLearner(), { courseId: 'excel-basics', gift: true });
    await show('packages/gift/claim/index', 'a friend’s gift', { openid: newLearner(), query: { giftId } });

    const leader = newLearner();
    const detail = openCourse(leader, 'excel-advanced');
    await detail.settle();
    detail.tap('.detail__start-group');
    await detail.settle();
    const [{ url }] = detail.wxCalls('navigateTo') as Array<{ url: string }>;
    detail.unload();
    await show('packages/growth/group/index', 'a group started, one seat left', { openid: newLearner(), query: { id: url.split('id=')[1]! } });
  });

  it('the network off', async () => {
    const home = renderPage('pages/home/index', { openid: newLearner() });
    await home.settle();
    home.setNetwork(false);
    await shoot(home.open(DETAIL, { id: 'excel-basics' }), DETAIL, 'network off');
    await shoot(home.open('pages/category/index'), 'pages/category/index', 'network off');
  });

  it('DevTools on the local cloud: 我的 and the developer panel', async () => {
    const setup = devToolsConfig(process.env.EMULATOR_URL!, join(__dirname, '../../database/demo'), [{ username: 'owner', password: 'owner-demo-pass', name: '演示店主' }]);
    const options = { openid: newLearner(), packageFiles: { 'config.local.json': JSON.stringify(setup) } };
    await show('pages/me/index', 'on the local cloud', options);
    await show('packages/dev/panel/index', 'on the local cloud', options);
  });

  it('screenshots them all, every page at least once', () => {
    const shots = preview.take();
    expect(shots.length).toBe(preview.shots.length);
    expect(ALL_ROUTES.filter((route) => !preview.shots.some((s) => s.route === route))).toEqual([]);
  });
});
