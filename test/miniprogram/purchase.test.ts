import { entitlementsOf, ordersOf, outboxOf } from '../support/commerce';
import { newLearner } from '../support/miniprogram';
import { boughtElsewhere, openCourse, openResult, until } from '../support/pages';
import { waitFor } from '../support/sdk';
import { nextPayment } from '../support/wx/pay';

/**
 * Buying a course from its page: the detail page orders through the real createOrder, pays in the
 * emulator's cloud pay sandbox (which calls the real payNotify), and the result page waits for the grant.
 */
const COURSE = 'excel-advanced';

describe('buying a course', () => {
  it('confirms the price and the refund rule, pays, shows the success and opens the course', async () => {
    const learner = newLearner();
    const detail = openCourse(learner, COURSE);
    await detail.settle();
    expect(detail.text('.detail__bar')).toBe('免费试看立即购买 ¥199发起拼团 ¥149');
    expect(detail.text('.detail__refund')).toBe('购买后 7 天内且学习进度不超过 30% 可申请退款');

    detail.tap('.detail__buy');
    await detail.settle();
    expect(detail.wxCalls('showModal')).toEqual([
      {
        title: '支付 ¥199',
        content: '购买《Excel 数据透视与函数进阶》。购买后 7 天内且学习进度不超过 30% 可申请退款。',
        confirmText: '确认支付',
        cancelText: '再想想',
      },
    ]);
    expect(detail.wxCalls('navigateTo')).toEqual([{ url: '/packages/order/result/index?courseId=excel-advanced' }]);
    const [order] = await ordersOf(learner);
    expect(order).toMatchObject({ status: 'paid', amount: 19900, item: { kind: 'course', courseId: COURSE } });
    // The learner accepted the 购买成功通知 on the confirmation: it arrives once the course is granted.
    const notices = await waitFor(() => outboxOf(learner), (messages) => messages.length > 0);
    expect(notices).toEqual([expect.objectContaining({ title: '购买成功通知', page: `packages/course/detail/index?id=${COURSE}` })]);

    const result = openResult(learner, { courseId: COURSE });
    await until(result, '购买成功');
    expect(result.text()).toBe('购买成功《Excel 数据透视与函数进阶》已开通，随时可以开始学习开始学习');
    result.tap('.result__study');
    await result.settle();
    expect(result.wxCalls('redirectTo')).toEqual([{ url: '/packages/course/lesson/index?id=excel-advanced-01' }]);
    result.unload();

    // Back on the course page, which reads the course again on show.
    detail.hideAndShow();
    await until(detail, '开始学习');
    expect(detail.text('.detail__bar')).toBe('开始学习');
    expect(detail.text('.detail__price-row')).toBe('已购买');
    expect(detail.exists('.detail__buy')).toBe(false);
  });

  it('waits for a late payment notification on the result page', async () => {
    const learner = newLearner();
    const detail = openCourse(learner, COURSE);
    await detail.settle();
    nextPayment({ delayMs: 1500 });
    detail.tap('.detail__buy');
    await detail.settle();
    expect(detail.wxCalls('navigateTo')).toHaveLength(1);
    detail.unload();

    const result = openResult(learner, { courseId: COURSE });
    await result.settle();
    expect(result.text()).toContain('正在确认支付结果');
    await until(result, '购买成功');
  });

  it('says the result is still being confirmed when no notification arrives, and checks again on refresh', async () => {
    const learner = newLearner();
    const detail = openCourse(learner, COURSE);
    await detail.settle();
    nextPayment({ deliver: false });
    detail.tap('.detail__buy');
    await detail.settle();
    detail.unload();

    const result = openResult(learner, { courseId: COURSE });
    await until(result, '支付结果确认中');
    expect(result.text()).toBe('支付结果确认中课程将在支付确认后自动开通，请稍后刷新刷新');
    const reads = result.cloud.calls.length;
    result.tap('.result__refresh');
    await result.settle();
    expect(result.text()).toContain('正在确认支付结果');
    expect(result.cloud.calls.length).toBeGreaterThan(reads);
  });

  it("shows the server's message when the course was bought meanwhile, and opens it", async () => {
    const learner = newLearner();
    const stale = openCourse(learner, COURSE);
    await stale.settle();
    // The learner buys it elsewhere (another phone): the harness shows one page at a time, so this
    // purchase goes through the gateway and the sandbox's control that pays a trade.
    await boughtElsewhere(learner, { courseId: COURSE });

    stale.tap('.detail__buy');
    await until(stale, '开始学习');
    expect(stale.wxCalls('showToast')).toEqual([{ title: '你已购买这门课程，可直接学习', icon: 'none' }]);
    expect(stale.wxCalls('navigateTo')).toEqual([]);
    expect(await ordersOf(learner)).toHaveLength(1);
  });

  it('leaves the course locked when the learner cancels the payment, and closes the order', async () => {
    const learner = newLearner();
    const detail = openCourse(learner, COURSE);
    await detail.settle();
    nextPayment({ cancel: true });
    detail.tap('.detail__buy');
    await detail.settle();

    expect(detail.wxCalls('showToast')).toEqual([{ title: '已取消支付', icon: 'none' }]);
    expect(detail.wxCalls('navigateTo')).toEqual([]);
    expect(detail.text('.detail__bar')).toBe('免费试看立即购买 ¥199发起拼团 ¥149');
    expect((await ordersOf(learner)).map((o) => o.status)).toEqual(['closed']);
    expect(await entitlementsOf(learner)).toEqual([]);

    // A new tap is a new purchase: a new order, which the learner pays this time.
    detail.tap('.detail__buy');
    await detail.settle();
    expect(detail.wxCalls('navigateTo')).toEqual([{ url: '/packages/order/result/index?courseId=excel-advanced' }]);
    expect((await ordersOf(learner)).map((o) => o.status).sort()).toEqual(['closed', 'paid']);
  });

  it('orders nothing when the learner declines the confirmation', async () => {
    const learner = newLearner();
    const detail = openCourse(learner, COURSE);
    await detail.settle();
    detail.answerModal(false);
    detail.tap('.detail__buy');
    await detail.settle();
    expect(detail.wxCalls('showModal')).toHaveLength(1);
    // The course, then (after the first render) its open groups, the coupons the learner may claim or use and their share code: no order.
    expect(detail.cloud.calls.map((c) => c.name)).toEqual(['getCourse', 'listCourseGroups', 'getCourseCoupons', 'getPromoterProfile']);
    expect(await ordersOf(learner)).toEqual([]);
  });

  it('creates one order for a double tap', async () => {
    const learner = newLearner();
    const detail = openCourse(learner, COURSE);
    await detail.settle();
    detail.tap('.detail__buy');
    detail.tap('.detail__buy');
    await detail.settle();

    expect(detail.wxCalls('showModal')).toHaveLength(1);
    expect(detail.cloud.calls.filter((c) => c.name === 'createOrder')).toHaveLength(1);
    expect(detail.wxCalls('navigateTo')).toHaveLength(1);
    expect((await ordersOf(learner)).map((o) => o.status)).toEqual(['paid']);
    expect(await entitlementsOf(learner)).toHaveLength(1);
  });

  it('shows no buy button for a course the learner owns', async () => {
    const learner = newLearner();
    const buying = openCourse(learner, COURSE);
    await buying.settle();
    buying.tap('.detail__buy');
    await buying.settle();
    expect(buying.wxCalls('navigateTo')).toHaveLength(1);
    buying.unload();

    const owned = openCourse(learner, COURSE);
    await owned.settle();
    expect(owned.exists('.detail__buy')).toBe(false);
    expect(owned.exists('.detail__refund')).toBe(false);
    expect(owned.text('.detail__bar')).toBe('开始学习');
  });
});
