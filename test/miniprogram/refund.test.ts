import { orderOf, sandboxCompleteRefund, setPaidAt } from '../support/commerce';
import { newLearner } from '../support/miniprogram';
import { boughtElsewhere, gateway, openOrder, openOrderList } from '../support/pages';
import { staffOk } from '../support/staff';

/**
 * Requesting a refund from the order page: the page shows the button and the course's refund rule when
 * the server says a refund may be requested, asks for a reason and a confirmation, and calls the real
 * requestRefund; otherwise it shows the server's reason why not. Orders are bought through the real
 * createOrder and the cloud pay sandbox; staff's side goes through the real reviewRefund.
 */
const COURSE = 'excel-advanced';
const TITLE = 'Excel 数据透视与函数进阶';
const RULE = '购买后 7 天内且学习进度不超过 30% 可申请退款';

/** The learner bought the course (another page did it; here through the gateway and the sandbox). */
const paidOrder = (openid: string) => boughtElsewhere(openid, { courseId: COURSE });

/** Data setup: the purchase made `days` days ago. */
const paidDaysAgo = (orderId: string, days: number) => setPaidAt(orderId, new Date(Date.now() - days * 86_400_000 - 60_000));

describe('requesting a refund on the order page', () => {
  it('shows the rule, asks for a reason and a confirmation, then shows the request under review', async () => {
    const learner = newLearner();
    const id = await paidOrder(learner);
    const page = openOrder(learner, id);
    await page.settle();
    expect(page.text('.order__status')).toBe('已支付');
    expect(page.text('.order__actions')).toBe(`申请退款${RULE}`);
    expect(page.exists('.order__refund-form')).toBe(false);

    page.tap('.order__refund');
    await page.settle();
    expect(page.text('.order__refund-form')).toContain(RULE);
    expect(page.exists('.order__refund')).toBe(false);

    // No reason yet: nothing is sent.
    page.tap('.order__refund-submit');
    await page.settle();
    expect(page.wxCalls('showToast')).toEqual([{ title: '请填写退款原因', icon: 'none' }]);

    page.type('.order__refund-reason', '内容和预期不一样');
    page.answerModal(false);
    page.tap('.order__refund-submit');
    await page.settle();
    expect(page.cloud.calls.map((c) => c.name)).toEqual(['getMyOrder']);

    page.answerModal(true);
    page.tap('.order__refund-submit');
    await page.settle();
    const confirmation = { title: '申请退款', content: `¥199 将原路退回，退款完成后将不能继续学习《${TITLE}》。确定申请吗？`, confirmText: '提交申请', cancelText: '再想想' };
    expect(page.wxCalls('showModal')).toEqual([confirmation, confirmation]);
    expect(page.cloud.calls.map((c) => [c.name, c.data])).toEqual([
      ['getMyOrder', { orderId: id }],
      ['requestRefund', { orderId: id, reason: '内容和预期不一样' }],
    ]);
    expect(page.text('.order__status')).toBe('退款审核中');
    expect(page.text('.order__refund-info')).toMatch(/^退款信息退款金额¥199退款原因内容和预期不一样申请时间\d+月\d+日 \d\d:\d\d$/);
    expect(page.text('.order__refund-hint')).toBe('已提交退款申请，请等待审核');
    expect(page.exists('.order__refund')).toBe(false);
    expect(page.exists('.order__refund-form')).toBe(false);
    expect(page.wxCalls('showToast').at(-1)).toEqual({ title: '退款申请已提交，请等待审核', icon: 'none' });
    page.unload();

    const list = openOrderList(learner);
    await list.settle();
    expect(list.text('.orders__status')).toBe('退款审核中');
  });

  it('shows why no refund can be requested instead of the button', async () => {
    const learner = newLearner();
    const id = await paidOrder(learner);
    await paidDaysAgo(id, 8);
    const page = openOrder(learner, id);
    await page.settle();
    expect(page.text('.order__status')).toBe('已支付');
    expect(page.exists('.order__refund')).toBe(false);
    expect(page.text('.order__refund-hint')).toBe('已超过购买后 7 天的退款期限');
  });

  it("shows the server's reason when the refund window closed while the page was open", async () => {
    const learner = newLearner();
    const id = await paidOrder(learner);
    const page = openOrder(learner, id);
    await page.settle();
    page.tap('.order__refund');
    await page.settle();
    page.type('.order__refund-reason', '买错了');
    await paidDaysAgo(id, 8);
    page.tap('.order__refund-submit');
    await page.settle();
    expect(page.wxCalls('showToast')).toEqual([{ title: '已超过购买后 7 天的退款期限', icon: 'none' }]);
    expect(page.cloud.calls.map((c) => c.name)).toEqual(['getMyOrder', 'requestRefund', 'getMyOrder']);
    expect(page.exists('.order__refund-form')).toBe(false);
    expect(page.text('.order__refund-hint')).toBe('已超过购买后 7 天的退款期限');
    expect((await orderOf(id)).status).toBe('paid');
  });

  it("shows a rejected request with staff's note, and a completed refund with its time", async () => {
    const staff = 'support';

    const rejectedBuyer = newLearner();
    const rejected = await paidOrder(rejectedBuyer);
    await gateway(rejectedBuyer, 'requestRefund', { orderId: rejected, reason: '不想学了' });
    await staffOk(staff, 'reviewRefund', { orderId: rejected, approve: false, note: '课程已学习较多' });
    const page = openOrder(rejectedBuyer, rejected);
    await page.settle();
    expect(page.text('.order__status')).toBe('已支付');
    expect(page.text('.order__refund-info')).toContain('审核结果未通过：课程已学习较多');
    expect(page.text('.order__refund-hint')).toBe('退款申请未通过：课程已学习较多');
    expect(page.exists('.order__refund')).toBe(false);
    page.unload();

    const refundedBuyer = newLearner();
    const refunded = await paidOrder(refundedBuyer);
    await gateway(refundedBuyer, 'requestRefund', { orderId: refunded, reason: '不想学了' });
    await staffOk(staff, 'reviewRefund', { orderId: refunded, approve: true });
    expect((await sandboxCompleteRefund(`${refunded}-R1`)).status).toBe(200);
    const done = openOrder(refundedBuyer, refunded);
    await done.settle();
    expect(done.text('.order__status')).toBe('已退款');
    expect(done.text('.order__refund-info')).toMatch(/退款时间\d+月\d+日 \d\d:\d\d$/);
    expect(done.text('.order__refund-hint')).toBe('订单已退款');
  });
});

describe('membership and gift orders on the order page', () => {
  it('tells a member that a membership is refunded through customer service, with no button', async () => {
    const member = newLearner();
    const id = await boughtElsewhere(member, { planId: 'plan-quarter' });
    const page = openOrder(member, id);
    await page.settle();
    expect(page.text('.order__status')).toBe('已支付');
    expect(page.text('.order__title')).toBe('季度会员');
    expect(page.exists('.order__refund')).toBe(false);
    expect(page.text('.order__refund-hint')).toBe('会员服务开通后不支持在线申请退款，如需帮助请联系客服');
    page.tap('.order__course');
    await page.settle();
    expect(page.wxCalls('navigateTo')).toEqual([]);
  });

  it("offers the giver a refund of an unclaimed gift under its rule, and says why not once a friend claimed it", async () => {
    const giver = newLearner();
    const id = await boughtElsewhere(giver, { courseId: COURSE, gift: true });
    const page = openOrder(giver, id);
    await page.settle();
    expect(page.text('.order__title')).toBe(TITLE);
    expect(page.text('.order__actions')).toBe('申请退款购买后 7 天内且好友领取前可申请退款');
    page.unload();

    await gateway(newLearner(), 'claimGift', { giftId: id });
    const claimed = openOrder(giver, id);
    await claimed.settle();
    expect(claimed.exists('.order__refund')).toBe(false);
    expect(claimed.text('.order__refund-hint')).toBe('礼物已被好友领取，不能退款');
  });
});
