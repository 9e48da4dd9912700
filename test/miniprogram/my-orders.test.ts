import { ordersOf } from '../support/commerce';
import { newLearner, renderPage } from '../support/miniprogram';
import { openCourse, openOrder, openOrderList, orderedElsewhere } from '../support/pages';

/**
 * "Me" -> my courses and my orders: the learner buys through the course page (the real createOrder, the
 * cloud pay sandbox, the real payNotify), then finds the course and the order; a pending order is
 * cancelled from its page through the real cancelOrder.
 */
const COURSE = 'excel-advanced';
const TITLE = 'Excel 数据透视与函数进阶';

/** Buys the course from its page, as purchase.test.ts does: confirm, pay in the sandbox, result page. */
async function buyFromCoursePage(openid: string) {
  const detail = openCourse(openid, COURSE);
  await detail.settle();
  detail.tap('.detail__buy');
  await detail.settle();
  expect(detail.wxCalls('navigateTo')).toEqual([{ url: `/packages/order/result/index?courseId=${COURSE}` }]);
  detail.unload();
}

/** An order the learner opened and left unpaid (as on another phone): through the gateway, not paid. */
const pendingOrder = (openid: string) => orderedElsewhere(openid, { courseId: COURSE });

describe('me page entries', () => {
  it('links to my courses and my orders', async () => {
    const me = renderPage('pages/me/index', { openid: newLearner() });
    await me.settle();
    expect(me.text('.me__menu')).toBe('我的课程›下载›打卡日历›我的作业›消息›我的订单›我的优惠券›推广中心›会员中心›我送出的礼物›隐私政策›联系客服›');
    me.tap('.me__entry--courses');
    me.tap('.me__entry--orders');
    await me.settle();
    expect(me.wxCalls('navigateTo')).toEqual([{ url: '/packages/learn/my-courses/index' }, { url: '/packages/order/list/index' }]);
  });
});

describe('my courses', () => {
  it('invites a learner without courses to the home page', async () => {
    const page = renderPage('packages/learn/my-courses/index', { openid: newLearner() });
    await page.settle();
    expect(page.text()).toBe('还没有课程，去首页看看去首页');
    page.tap('.my-courses__browse');
    await page.settle();
    expect(page.wxCalls('switchTab')).toEqual([{ url: '/pages/home/index' }]);
  });

  it('shows the course right after the learner bought it, and opens it', async () => {
    const learner = newLearner();
    await buyFromCoursePage(learner);

    const page = renderPage('packages/learn/my-courses/index', { openid: learner });
    await page.settle();
    expect(page.text('.my-courses__title')).toBe(TITLE);
    expect(page.text('.my-courses__date')).toMatch(/^\d{4}-\d{2}-\d{2} 购买$/);
    expect(page.text('.my-courses__more')).toBe('没有更多了');
    expect(page.cloud.calls.map((c) => c.name)).toEqual(['listMyCourses']);
    page.tap('.my-courses__item');
    await page.settle();
    expect(page.wxCalls('navigateTo')).toEqual([{ url: `/packages/course/detail/index?id=${COURSE}` }]);
  });
});

describe('my orders', () => {
  it('shows a bought course as 已支付, with its details on the order page', async () => {
    const learner = newLearner();
    await buyFromCoursePage(learner);
    const [order] = await ordersOf(learner);

    const list = openOrderList(learner);
    await list.settle();
    expect(list.text('.orders__status')).toBe('已支付');
    expect(list.text('.orders__title')).toBe(TITLE);
    expect(list.text('.orders__amount')).toBe('¥199');
    list.tap('.orders__item');
    await list.settle();
    expect(list.wxCalls('navigateTo')).toEqual([{ url: `/packages/order/detail/index?id=${order!._id}` }]);
    list.unload();

    const detail = openOrder(learner, order!._id);
    await detail.settle();
    expect(detail.text('.order__status')).toBe('已支付');
    expect(detail.text('.order__amount')).toBe('¥199');
    expect(detail.text('.order__title')).toBe(TITLE);
    expect(detail.text('.order__number')).toBe(`订单编号${order!._id}`);
    expect(detail.text('.order__info')).toMatch(/下单时间\d+月\d+日 \d\d:\d\d支付时间\d+月\d+日 \d\d:\d\d$/);
    expect(detail.exists('.order__cancel')).toBe(false);
  });

  it('cancels a pending order after the learner confirms, and shows it closed in the list', async () => {
    const learner = newLearner();
    const orderId = await pendingOrder(learner);

    const list = openOrderList(learner);
    await list.settle();
    expect(list.text('.orders__status')).toBe('待支付');
    list.unload();

    const detail = openOrder(learner, orderId);
    await detail.settle();
    expect(detail.text('.order__status')).toBe('待支付');

    // Declining the confirmation changes nothing.
    detail.answerModal(false);
    detail.tap('.order__cancel');
    await detail.settle();
    expect(detail.cloud.calls.map((c) => c.name)).toEqual(['getMyOrder']);
    expect(detail.text('.order__status')).toBe('待支付');

    detail.answerModal(true);
    detail.tap('.order__cancel');
    await detail.settle();
    expect(detail.wxCalls('showModal')).toEqual([
      { title: '取消订单', content: `确定取消购买《${TITLE}》的订单吗？取消后如需购买请重新下单。`, confirmText: '取消订单', cancelText: '再想想' },
      { title: '取消订单', content: `确定取消购买《${TITLE}》的订单吗？取消后如需购买请重新下单。`, confirmText: '取消订单', cancelText: '再想想' },
    ]);
    expect(detail.cloud.calls.map((c) => c.name)).toEqual(['getMyOrder', 'cancelOrder']);
    expect(detail.text('.order__status')).toBe('已关闭');
    expect(detail.text('.order__info')).toContain('关闭时间');
    expect(detail.exists('.order__cancel')).toBe(false);
    expect(detail.wxCalls('showToast')).toEqual([{ title: '订单已取消', icon: 'none' }]);
    detail.unload();

    const again = openOrderList(learner);
    await again.settle();
    expect(again.text('.orders__status')).toBe('已关闭');
  });

  it('shows an empty state, pages on reaching the bottom and reloads on pull-down', async () => {
    const learner = newLearner();
    const empty = openOrderList(learner);
    await empty.settle();
    expect(empty.text()).toBe('还没有订单');
    empty.unload();

    const ids: string[] = [];
    for (let i = 0; i < 11; i++) ids.push(await pendingOrder(learner));
    const list = openOrderList(learner);
    await list.settle();
    expect(list.component.querySelectorAll('.orders__item')).toHaveLength(10);
    expect(list.exists('.orders__more')).toBe(true);
    expect(list.text('.orders__more')).toBe('');
    list.reachBottom();
    await list.settle();
    expect(list.component.querySelectorAll('.orders__item')).toHaveLength(11);
    expect(list.text('.orders__more')).toBe('没有更多了');
    expect(list.cloud.calls.map((c) => c.data)).toEqual([{ page: 1 }, { page: 2 }]);

    ids.push(await pendingOrder(learner));
    list.pullDownRefresh();
    await list.settle();
    expect(list.component.querySelectorAll('.orders__item')).toHaveLength(10);
    expect((list.data.orders as Array<{ id: string }>)[0]!.id).toBe(ids[11]);
    expect(list.wxCalls('stopPullDownRefresh')).toHaveLength(1);
  });
});
