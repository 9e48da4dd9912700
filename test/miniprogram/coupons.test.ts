import type { CouponRule, CouponScope } from '../../domain/coupons/model';
import { couponRuleText as domainRuleText, couponScopeText as domainScopeText } from '../../domain/coupons/text';
import type { SaveCouponCampaignRequest, SaveCouponCampaignResponse } from '../../domain/contracts/coupons';
import { couponRuleText, couponScopeText } from '../../miniprogram/utils/coupons';
import { ordersOf } from '../support/commerce';
import { newLearner, renderPage, type RenderedPage } from '../support/miniprogram';
import { gateway, openCourse, openOrder } from '../support/pages';
import { ownEmulatorForFile } from '../support/own-emulator';
import { staffOk } from '../support/staff';

/**
 * The learner's coupon screens (issue 12): the 领券 strip of a course's page, the checkout's coupon picker
 * (the coupon becomes part of the real createOrder, paid in the sandbox), the coupon on the order, and
 * 我的优惠券. Campaigns are created as an editor through saveCouponCampaign; they are on every course page
 * they name, so the file runs on an emulator of its own.
 */
ownEmulatorForFile('coupon-pages');

const COURSE = 'excel-basics'; // ¥9.9
const TITLE = 'Excel 零基础到高效办公';
const DAY = 24 * 60 * 60 * 1000;

async function createCampaign(over: Partial<SaveCouponCampaignRequest> & Pick<SaveCouponCampaignRequest, 'title' | 'rule'>) {
  const request: SaveCouponCampaignRequest = {
    scope: { courseIds: [COURSE] },
    validFrom: new Date(Date.now() - DAY).toISOString() as unknown as Date,
    validUntil: new Date(Date.now() + 30 * DAY).toISOString() as unknown as Date,
    totalStock: 1000,
    perLearnerLimit: 1,
    ...over,
  };
  return (await staffOk<SaveCouponCampaignResponse>('editor', 'saveCouponCampaign', request as unknown as Record<string, unknown>)).data.campaign;
}

/** Taps the node of `selector` that is the `index`-th match (page.tap taps the first). */
function tapNth(page: RenderedPage, selector: string, index: number) {
  const nodes = page.component.querySelectorAll(selector);
  if (!nodes[index]) throw new Error(`no ${selector} #${index} in «${page.text()}»`);
  nodes[index]!.dispatchEvent('tap');
}

const claimIndex = (page: RenderedPage, campaignId: string) => (page.data.claimable as Array<{ id: string }>).findIndex((c) => c.id === campaignId);

let threeOff: { id: string; title: string };
let percentOff: { id: string; title: string };
let fiftyMinus: { id: string; title: string };

beforeAll(async () => {
  threeOff = await createCampaign({ title: '立减3元券', rule: { kind: 'amount', amountOff: 300 } });
  // 20% of ¥9.9 is ¥1.98, capped at ¥1.
  percentOff = await createCampaign({ title: '八折券', rule: { kind: 'percent', percentOff: 20, capAmount: 100 } });
  // 满¥50减¥10: the ¥9.9 course does not reach it.
  fiftyMinus = await createCampaign({ title: '满50减10', rule: { kind: 'threshold', minAmount: 5000, amountOff: 1000 } });
}, 30_000);

describe('coupons from the course page to the order', () => {
  it('claims from the strip, picks the coupon at checkout, pays less, and shows the coupon on the order and as used', async () => {
    const learner = newLearner();
    const detail = openCourse(learner, COURSE);
    await detail.settle();
    // Loaded after the course: the first render did not wait for it (nor for the learner's share code).
    expect(detail.cloud.calls.map((c) => c.name)).toEqual(['getCourse', 'listCourseGroups', 'getCourseCoupons', 'getPromoterProfile']);
    expect(detail.text('.detail__coupons')).toContain('领券');
    expect(detail.text('.detail__coupons')).toContain('减¥3立减3元券');
    expect(detail.text('.detail__coupons')).toContain('8折，最多减¥1八折券');
    expect(detail.text('.detail__coupons')).toContain(`满¥50减¥10满50减10指定课程：《${TITLE}》`);

    tapNth(detail, '.detail__claim', claimIndex(detail, threeOff.id));
    await detail.settle();
    expect(detail.wxCalls('showToast')).toEqual([{ title: '领取成功', icon: 'success' }]);
    // The strip is read again: the campaign's limit of one is reached.
    expect(detail.cloud.calls.map((c) => c.name)).toEqual(['getCourse', 'listCourseGroups', 'getCourseCoupons', 'getPromoterProfile', 'claimCoupon', 'getCourseCoupons']);
    expect(claimIndex(detail, threeOff.id)).toBe(-1);
    tapNth(detail, '.detail__claim', claimIndex(detail, percentOff.id));
    await detail.settle();
    expect(detail.text('.detail__coupons')).not.toContain('八折券');
    expect(detail.text('.detail__coupons')).toContain('满50减10');

    // Checkout: the best coupon picked, what it takes off, what is paid.
    detail.tap('.detail__buy');
    await detail.settle();
    expect(detail.wxCalls('showModal')).toEqual([]);
    expect(detail.text('.checkout__price')).toBe('课程价格¥9.9');
    expect(detail.text('.checkout__coupon')).toBe('优惠券-¥3');
    expect(detail.text('.checkout__pay')).toBe('实付¥6.9');

    // The picker: most off first, then 不使用优惠券.
    detail.tap('.checkout__coupon');
    await detail.settle();
    expect(detail.data.pickerVisible).toBe(true);
    const usable = detail.component.querySelectorAll('.detail__picker >>> .picker__option--usable');
    expect(usable.map((o) => o.dom.textContent!.replace(/\s+/g, ''))).toEqual([
      expect.stringMatching(/^减¥3立减3元券指定课程：《Excel零基础到高效办公》·\d{4}-\d\d-\d\d到期-¥3$/),
      expect.stringMatching(/^8折，最多减¥1八折券.*-¥1$/),
    ]);
    expect(detail.text('.detail__picker >>> .picker__option--none')).toBe('不使用优惠券');

    detail.tap('.detail__picker >>> .picker__option--none');
    await detail.settle();
    expect(detail.data.pickerVisible).toBe(false);
    expect(detail.text('.checkout__coupon')).toBe('优惠券2 张可用');
    expect(detail.text('.checkout__pay')).toBe('实付¥9.9');

    detail.tap('.checkout__coupon');
    await detail.settle();
    detail.tap('.detail__picker >>> .picker__option--usable');
    await detail.settle();
    expect(detail.text('.checkout__coupon')).toBe('优惠券-¥3');
    expect(detail.text('.checkout__pay')).toBe('实付¥6.9');

    // 确认支付: the purchase's usual way (notice asked after the tap, pay, result page), with the coupon.
    detail.tap('.checkout__confirm');
    await detail.settle();
    const createOrder = detail.cloud.calls.find((c) => c.name === 'createOrder');
    expect(createOrder?.data).toMatchObject({ courseId: COURSE, couponId: `${threeOff.id}:${learner}:1` });
    expect(detail.wxCalls('navigateTo')).toEqual([{ url: `/packages/order/result/index?courseId=${COURSE}` }]);
    const [order] = await ordersOf(learner);
    expect(order).toMatchObject({ status: 'paid', amount: 690 });
    detail.unload();

    const orderPage = openOrder(learner, order!._id);
    await orderPage.settle();
    expect(orderPage.text('.order__amount')).toBe('¥6.9');
    expect(orderPage.text('.order__coupon')).toBe('优惠券立减3元券 -¥3');
    orderPage.unload();

    const list = renderPage('packages/order/list/index', { openid: learner });
    await list.settle();
    expect(list.text('.orders__amounts')).toBe('¥6.9优惠券 -¥3');
    list.unload();

    const mine = renderPage('packages/growth/coupons/index', { openid: learner });
    await mine.settle();
    expect(mine.text('.coupons__list')).toMatch(/^8折，最多减¥1八折券指定 1 门课程有效期至 \d{4}-\d\d-\d\d$/);
    mine.trigger('.coupons__tabs', 'change', { value: 'used' });
    await mine.settle();
    expect(mine.text('.coupons__list')).toMatch(/^减¥3立减3元券指定 1 门课程有效期至 \d{4}-\d\d-\d\d已使用$/);
    mine.trigger('.coupons__tabs', 'change', { value: 'expired' });
    await mine.settle();
    expect(mine.text('.coupons__empty')).toBe('暂无已过期的优惠券');
  }, 30_000);

  it('lists a coupon the price does not reach greyed with why, and pays the full price with none', async () => {
    const learner = newLearner();
    await gateway(learner, 'claimCoupon', { campaignId: fiftyMinus.id });
    const detail = openCourse(learner, COURSE);
    await detail.settle();

    detail.tap('.detail__buy');
    await detail.settle();
    expect(detail.text('.checkout__coupon')).toBe('优惠券无可用优惠券');
    expect(detail.text('.checkout__pay')).toBe('实付¥9.9');
    detail.tap('.checkout__coupon');
    await detail.settle();
    expect(detail.exists('.detail__picker >>> .picker__option--usable')).toBe(false);
    expect(detail.text('.detail__picker >>> .picker__section')).toBe('不可用优惠券（1）');
    expect(detail.text('.detail__picker >>> .picker__option--unusable')).toMatch(/^满¥50减¥10满50减10指定课程：《Excel 零基础到高效办公》 · \d{4}-\d\d-\d\d 到期满¥50可用$/);
    // Greyed: it cannot be picked.
    detail.tap('.detail__picker >>> .picker__option--unusable');
    await detail.settle();
    expect(detail.data.checkout).toMatchObject({ selected: '' });

    detail.tap('.detail__picker >>> .picker__option--none');
    await detail.settle();
    detail.tap('.checkout__confirm');
    await detail.settle();
    const createOrder = detail.cloud.calls.find((c) => c.name === 'createOrder');
    expect(createOrder?.data).not.toHaveProperty('couponId');
    expect((await ordersOf(learner)).map((o) => [o.status, o.amount])).toEqual([['paid', 990]]);
  }, 30_000);

  it("says why a claim was refused, in the server's words", async () => {
    const soldOut = await createCampaign({ title: '限量1张', rule: { kind: 'amount', amountOff: 100 }, totalStock: 1 });
    const learner = newLearner();
    const detail = openCourse(learner, COURSE);
    await detail.settle();
    const index = claimIndex(detail, soldOut.id);
    expect(index).toBeGreaterThanOrEqual(0);
    // Someone else takes the only one meanwhile.
    await gateway(newLearner(), 'claimCoupon', { campaignId: soldOut.id });

    tapNth(detail, '.detail__claim', index);
    await detail.settle();
    expect(detail.wxCalls('showToast')).toEqual([{ title: '优惠券已领完', icon: 'none' }]);
  }, 30_000);
});

describe('我的优惠券', () => {
  it('says there is nothing yet for a new learner, on every tab', async () => {
    const page = renderPage('packages/growth/coupons/index', { openid: newLearner() });
    await page.settle();
    expect(page.text('.coupons__tabs')).toContain('可使用已使用已过期');
    expect(page.text('.coupons__empty')).toBe('暂无可使用的优惠券');
    page.trigger('.coupons__tabs', 'change', { value: 'used' });
    await page.settle();
    expect(page.text('.coupons__empty')).toBe('暂无已使用的优惠券');
  });

  it('is linked from 我的, next to 我的订单', async () => {
    const me = renderPage('pages/me/index', { openid: newLearner() });
    await me.settle();
    expect(me.text('.me__menu')).toContain('我的订单›我的优惠券›');
    me.tap('.me__entry--coupons');
    await me.settle();
    expect(me.wxCalls('navigateTo')).toEqual([{ url: '/packages/growth/coupons/index' }]);
  });
});

describe("the mini program's coupon wording", () => {
  it('says what domain/coupons/text.ts says (the console uses that one)', () => {
    const rules: CouponRule[] = [
      { kind: 'amount', amountOff: 1000 },
      { kind: 'amount', amountOff: 999 },
      { kind: 'percent', percentOff: 15, capAmount: 2000 },
      { kind: 'percent', percentOff: 20, capAmount: 150 },
      { kind: 'threshold', minAmount: 10000, amountOff: 2050 },
    ];
    expect(rules.map(couponRuleText)).toEqual(rules.map(domainRuleText));
    const scopes: CouponScope[] = ['school', { courseIds: ['a', 'b'] }];
    const titles = { a: 'A 课', b: 'B 课' };
    expect(scopes.map((s) => couponScopeText(s, titles))).toEqual(scopes.map((s) => domainScopeText(s, titles)));
    expect(scopes.map((s) => couponScopeText(s))).toEqual(scopes.map((s) => domainScopeText(s)));
  });
});
