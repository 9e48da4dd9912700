import { membershipOf, ordersOf } from '../support/commerce';
import { loadModule, newLearner, renderPage, unreachableGatewayUrl } from '../support/miniprogram';
import { clientDatabase, openCourse, openResult, until } from '../support/pages';
import { nextPayment } from '../support/wx/pay';

/**
 * The membership page (会员中心) and the prices the course page shows: a plan is bought through the same
 * purchase flow as a course (the real createOrder, the cloud pay sandbox, the real payNotify), and the
 * result page waits for the order to be paid.
 */
const openPlans = (openid: string, options: { gatewayUrl?: string } = {}) => renderPage('packages/member/plans/index', { openid, ...options });

/** Buys `plan` (its button's position) from the membership page; answers the url of the result page it opened. */
async function buyPlan(openid: string, position = 0): Promise<string> {
  const page = openPlans(openid);
  await page.settle();
  page.component.querySelectorAll('.plans__buy')[position]!.dispatchEvent('tap');
  await page.settle();
  const [opened] = page.wxCalls('navigateTo');
  page.unload();
  return String(opened!.url);
}

const day = (iso: Date) => `${iso.getFullYear()}-${String(iso.getMonth() + 1).padStart(2, '0')}-${String(iso.getDate()).padStart(2, '0')}`;

describe('membership page', () => {
  it('shows the plans with their price and length, and invites a learner who is not a member', async () => {
    const page = openPlans(newLearner());
    expect(page.exists('.plans__skeleton')).toBe(true);
    await page.settle();
    expect(page.text('.plans__status')).toBe('开通会员标有“会员免费”的课程全部免费学');
    expect(page.component.querySelectorAll('.plans__item').map((item) => item.dom.textContent!.replace(/\s+/g, ''))).toEqual([
      '年度会员365天畅学会员课程，平均每月¥16.6¥199365天开通',
      '季度会员90天畅学会员课程，先试一季¥6990天开通',
    ]);
  });

  it('buys a plan: confirms, pays, says the membership is on, and then offers renewal from the expiry', async () => {
    const learner = newLearner();
    const page = openPlans(learner);
    await page.settle();
    page.tap('.plans__buy');
    await page.settle();
    expect(page.wxCalls('showModal')).toEqual([
      { title: '支付 ¥199', content: '开通《年度会员》，365 天内标有“会员免费”的课程可直接学习。', confirmText: '确认支付', cancelText: '再想想' },
    ]);
    const [order] = await ordersOf(learner);
    expect(order).toMatchObject({ status: 'paid', amount: 19900, item: { kind: 'membership', planId: 'plan-year' } });
    expect(page.wxCalls('navigateTo')).toEqual([{ url: `/packages/order/result/index?orderId=${order!._id}` }]);

    const result = openResult(learner, { orderId: order!._id });
    await until(result, '会员开通成功');
    expect(result.text()).toBe('会员开通成功《年度会员》已生效，标有“会员免费”的课程可直接学习去选课');
    result.tap('.result__browse');
    await result.settle();
    expect(result.wxCalls('switchTab')).toEqual([{ url: '/pages/home/index' }]);
    result.unload();

    // Back on the membership page, which reads the membership again on show.
    page.hideAndShow();
    await until(page, '你是会员');
    const expiresAt = (await membershipOf(learner)).expiresAt!;
    expect(page.text('.plans__status')).toBe(`你是会员会员有效期至 ${day(expiresAt)}，续费从到期日起顺延`);
    expect(page.text('.plans__buy')).toBe('续费');
    page.unload();

    const renewing = openPlans(learner);
    await renewing.settle();
    renewing.tap('.plans__buy');
    await renewing.settle();
    expect(renewing.wxCalls('showModal')).toEqual([expect.objectContaining({ content: '续费《年度会员》，365 天内标有“会员免费”的课程可直接学习。' })]);
    expect((await membershipOf(learner)).expiresAt).toEqual(new Date(expiresAt.getTime() + 365 * 86_400_000));
  });

  it('waits on the result page until the payment notification arrives', async () => {
    const learner = newLearner();
    const page = openPlans(learner);
    await page.settle();
    nextPayment({ delayMs: 1500 });
    page.tap('.plans__buy');
    await page.settle();
    const url = String(page.wxCalls('navigateTo')[0]!.url);
    page.unload();

    const result = openResult(learner, { orderId: url.split('orderId=')[1]! });
    await result.settle();
    expect(result.text()).toContain('正在确认支付结果');
    await until(result, '会员开通成功');
  });

  it('orders nothing when the learner declines, and shows an error with a retry when offline', async () => {
    const learner = newLearner();
    const page = openPlans(learner);
    await page.settle();
    page.answerModal(false);
    page.tap('.plans__buy');
    await page.settle();
    expect(page.cloud.calls.map((c) => c.name)).toEqual(['listPlans']);
    expect(await ordersOf(learner)).toEqual([]);
    page.unload();

    const offline = openPlans(learner, { gatewayUrl: await unreachableGatewayUrl() });
    await offline.settle();
    expect(offline.text('.plans__error')).toBe('网络不稳定，请稍后重试重试');
    offline.cloud.gatewayUrl = process.env.EMULATOR_URL!;
    offline.tap('.plans__retry');
    await offline.settle();
    expect(offline.text()).toContain('年度会员');
  });

  it('is linked from me', async () => {
    const me = renderPage('pages/me/index', { openid: newLearner() });
    await me.settle();
    me.tap('.me__entry--membership');
    await me.settle();
    expect(me.wxCalls('navigateTo')).toEqual([{ url: '/packages/member/plans/index' }]);
  });
});

describe('course page prices', () => {
  it('offers membership on a member-included course, and opens it once the learner is a member', async () => {
    const learner = newLearner();
    const course = openCourse(learner, 'guitar');
    await course.settle();
    expect(course.text('.detail__member')).toBe('开通会员，本课及全部“会员免费”课程畅学›');
    course.tap('.detail__member');
    await course.settle();
    expect(course.wxCalls('navigateTo')).toEqual([{ url: '/packages/member/plans/index' }]);

    expect(await buyPlan(learner, 1)).toMatch(/^\/packages\/order\/result\/index\?orderId=/);
    course.hideAndShow();
    await until(course, '会员已解锁');
    expect(course.text('.detail__bar')).toBe('开始学习');
    expect(course.exists('.detail__member')).toBe(false);
  });

  it('shows a member the member price of a course outside membership, and charges it', async () => {
    const learner = newLearner();
    await buyPlan(learner, 1);
    const course = openCourse(learner, 'photo-portrait');
    await course.settle();
    expect(course.text('.detail__price-row')).toBe('会员价¥199¥249');
    expect(course.text('.detail__bar')).toBe('免费试看立即购买 ¥199');
    course.tap('.detail__buy');
    await course.settle();
    expect(course.wxCalls('showModal')[0]).toMatchObject({ title: '支付 ¥199' });
    expect((await ordersOf(learner)).find((o) => o.item.kind === 'course')).toMatchObject({ amount: 19900, originalAmount: 24900, status: 'paid' });
  });

  it('shows a learner who bought the entry course the upgrade price of the advanced one', async () => {
    const learner = newLearner();
    const entry = openCourse(learner, 'excel-basics');
    await entry.settle();
    entry.tap('.detail__buy');
    await entry.settle();
    entry.unload();

    const advanced = openCourse(learner, 'excel-advanced');
    await advanced.settle();
    expect(advanced.text('.detail__price-row')).toBe('已购入门课，升级价¥169¥199');
    expect(advanced.text('.detail__bar')).toBe('免费试看立即购买 ¥169');
  });
});

describe('plans in the client database', () => {
  it('lets anyone read the published plans, and nobody write them', async () => {
    loadModule('services/cloud', { openid: newLearner() });
    const plans = clientDatabase().collection('plans');
    const { data } = (await plans.where({ status: 'published' }).get()) as { data: Array<{ _id: string; amount: number }> };
    expect(data.map((p) => [p._id, p.amount]).sort()).toEqual([
      ['plan-quarter', 6900],
      ['plan-year', 19900],
    ]);
    await expect(plans.get()).rejects.toMatchObject({ errCode: -502003 });
    await expect(plans.doc('plan-year').update({ data: { amount: 1 } })).rejects.toMatchObject({ errCode: -502003 });
  });
});
