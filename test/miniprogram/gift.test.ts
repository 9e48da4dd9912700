import { entitlementsOf, giftOf, sandboxCompleteRefund } from '../support/commerce';
import { loadModule, newLearner, renderPage, unreachableGatewayUrl, type RenderedPage } from '../support/miniprogram';
import { boughtElsewhere, clientDatabase, gateway, openCourse, openResult, until } from '../support/pages';
import { emulatorUrl, waitFor } from '../support/sdk';
import { postJson } from '../support/wx/http';
import { staffOk } from '../support/staff';

/**
 * Giving a course: the giver buys it as a gift from the course page (the real createOrder, the cloud pay
 * sandbox, the real payNotify issuing the gift), shares it from the pay result page, and a friend claims
 * it on the claim page (the real claimGift) and studies.
 */
const COURSE = 'excel-advanced';
const TITLE = 'Excel 数据透视与函数进阶';
const COVER = 'cloud://local-env.6c6f-local-env-1300000000/demo/cover-excel-advanced.jpg';

const openClaim = (openid: string, giftId: string, options: { gatewayUrl?: string } = {}) =>
  renderPage('packages/gift/claim/index', { openid, query: { giftId }, ...options });

const giftBought = (giver: string, courseId = COURSE) => boughtElsewhere(giver, { courseId, gift: true });

/** The giver asked for the gift's money back (the order page did it; here through the gateway): the gift is held. */
const refundAsked = (giver: string, giftId: string) => gateway(giver, 'requestRefund', { orderId: giftId, reason: '好友已经买了' });

/** Staff refund the gift's order and cloud pay completes it; answers once the gift is refunded. */
async function refunded(giftId: string) {
  await staffOk('support', 'reviewRefund', { orderId: giftId, approve: true });
  expect((await sandboxCompleteRefund(`${giftId}-R1`)).status).toBe(200);
  await waitFor(() => giftOf(giftId), (gift) => gift.status === 'refunded');
}

/** The friend taps the claim page's study button, which opens the course; answers the course page's bar. */
async function studyFromClaim(page: RenderedPage, friend: string): Promise<string> {
  page.tap('.claim__study');
  await page.settle();
  expect(page.wxCalls('navigateTo')).toEqual([{ url: `/packages/course/detail/index?id=${COURSE}` }]);
  page.unload();
  const course = openCourse(friend, COURSE);
  await course.settle();
  return course.text('.detail__bar');
}

describe('giving a course', () => {
  it('buys the course as a gift from its page at the list price, and shares it from the result page', async () => {
    const giver = newLearner();
    const detail = openCourse(giver, COURSE);
    await detail.settle();
    expect(detail.text('.detail__gift')).toBe('送给好友');
    detail.tap('.detail__gift');
    await detail.settle();
    expect(detail.wxCalls('showModal')).toEqual([
      {
        title: '送给好友 ¥199',
        content: `购买《${TITLE}》送给一位好友。支付后分享给好友，好友领取后即可学习。`,
        confirmText: '确认支付',
        cancelText: '再想想',
      },
    ]);
    const [{ url }] = detail.wxCalls('navigateTo') as Array<{ url: string }>;
    const giftId = url.split('orderId=')[1]!;
    expect(url).toBe(`/packages/order/result/index?orderId=${giftId}`);
    expect(await giftOf(giftId)).toMatchObject({ courseId: COURSE, from: giver, status: 'unclaimed' });
    // The giver's own course page is unchanged: a gift grants the giver nothing.
    expect(detail.text('.detail__bar')).toBe('免费试看立即购买 ¥199发起拼团 ¥149');
    detail.unload();

    const result = openResult(giver, { orderId: giftId });
    await until(result, '礼物已备好');
    expect(result.text()).toBe(`礼物已备好把《${TITLE}》分享给好友，好友领取后即可学习分享给好友查看礼物`);
    expect((result.component.instance.onShareAppMessage as () => unknown)()).toEqual({
      title: `送你一门好课：《${TITLE}》`,
      path: `/packages/gift/claim/index?giftId=${giftId}`,
      imageUrl: COVER,
    });
    result.tap('.result__view-gift');
    await result.settle();
    expect(result.wxCalls('redirectTo')).toEqual([{ url: `/packages/gift/claim/index?giftId=${giftId}` }]);
  });

  it('lets the giver gift a course they own', async () => {
    const giver = newLearner();
    await boughtElsewhere(giver, { courseId: COURSE });
    const detail = openCourse(giver, COURSE);
    await detail.settle();
    expect(detail.text('.detail__bar')).toBe('开始学习');
    detail.tap('.detail__gift');
    await detail.settle();
    expect(detail.wxCalls('navigateTo')).toEqual([{ url: expect.stringMatching(/^\/packages\/order\/result\/index\?orderId=/) }]);
  });

  it('offers no gift for a free course', async () => {
    const detail = openCourse(newLearner(), 'gongkao-intro');
    await detail.settle();
    expect(detail.exists('.detail__gift')).toBe(false);
  });
});

describe('claiming a gift', () => {
  it('shows a friend who sent what, claims it, and opens the course', async () => {
    const giver = newLearner();
    const giftId = await giftBought(giver);
    const friend = newLearner();
    const page = openClaim(friend, giftId);
    expect(page.exists('.claim__skeleton')).toBe(true);
    await page.settle();
    expect(page.text('.claim__card')).toBe(`学员${giver.slice(-4)} 送你一门课程${TITLE}待领取领取后即可学习整门课程`);
    expect(page.text('.claim__actions')).toBe('领取');

    page.tap('.claim__claim');
    await page.settle();
    expect(page.wxCalls('showToast')).toEqual([{ title: '领取成功', icon: 'success' }]);
    expect(page.text('.claim__card')).toBe(`学员${giver.slice(-4)} 送你一门课程${TITLE}已领取你已领取这份礼物，随时可以开始学习`);
    expect(await entitlementsOf(friend)).toEqual([expect.objectContaining({ courseId: COURSE, status: 'active', source: { kind: 'gift', giftId } })]);

    expect(await studyFromClaim(page, friend)).toBe('开始学习');

    // Opening the link again later: theirs.
    const again = openClaim(friend, giftId);
    await again.settle();
    expect(again.text('.claim__state')).toBe('已领取你已领取这份礼物，随时可以开始学习');
  });

  it('shows the giver their gift to share, and when a friend claimed it', async () => {
    const giver = newLearner();
    const giftId = await giftBought(giver);
    const page = openClaim(giver, giftId);
    await page.settle();
    expect(page.text('.claim__card')).toBe(`你送出的礼物${TITLE}待领取等待好友领取，分享给好友吧`);
    expect(page.text('.claim__actions')).toBe('分享给好友');
    expect(page.exists('.claim__claim')).toBe(false);
    expect((page.component.instance.onShareAppMessage as () => unknown)()).toEqual({
      title: `送你一门好课：《${TITLE}》`,
      path: `/packages/gift/claim/index?giftId=${giftId}`,
      imageUrl: COVER,
    });
    page.unload();

    const friend = openClaim(newLearner(), giftId);
    await friend.settle();
    friend.tap('.claim__claim');
    await friend.settle();
    friend.unload();

    const claimed = openClaim(giver, giftId);
    await claimed.settle();
    expect(claimed.text('.claim__state')).toMatch(/^已领取好友已于 \d{4}-\d\d-\d\d 领取$/);
    expect(claimed.text('.claim__actions')).toBe('查看课程');
  });

  it('refuses a friend who already owns the course, and the gift stays for someone else', async () => {
    const giftId = await giftBought(newLearner());
    const owner = newLearner();
    await boughtElsewhere(owner, { courseId: COURSE });
    const page = openClaim(owner, giftId);
    await page.settle();
    page.tap('.claim__claim');
    await page.settle();
    expect(page.wxCalls('showToast')).toEqual([{ title: '你已拥有这门课程，无需领取，礼物可以留给其他好友', icon: 'none' }]);
    expect(page.text('.claim__state')).toBe('待领取领取后即可学习整门课程');
    expect(await giftOf(giftId)).toMatchObject({ status: 'unclaimed' });
  });

  it('tells a late friend the gift was claimed, and leads home', async () => {
    const giftId = await giftBought(newLearner());
    const late = newLearner();
    const stale = openClaim(late, giftId);
    await stale.settle();
    // Another friend claims it meanwhile.
    await postJson(`${emulatorUrl()}/gateway/callFunction`, { name: 'claimGift', openid: newLearner(), data: { giftId } });

    stale.tap('.claim__claim');
    await until(stale, '这份礼物已被其他好友领取');
    expect(stale.wxCalls('showToast')).toEqual([{ title: '这份礼物已被其他好友领取', icon: 'none' }]);
    expect(stale.text('.claim__actions')).toBe('去首页看看');
    stale.tap('.claim__home');
    await stale.settle();
    expect(stale.wxCalls('switchTab')).toEqual([{ url: '/pages/home/index' }]);
    expect(await entitlementsOf(late)).toEqual([]);
  });

  it('explains a link to no gift, and retries after a network failure', async () => {
    const missing = openClaim(newLearner(), 'no-such-gift');
    await missing.settle();
    expect(missing.text('.claim__error')).toBe('礼物不存在或链接有误去首页看看');
    missing.unload();

    const giftId = await giftBought(newLearner());
    const page = openClaim(newLearner(), giftId, { gatewayUrl: await unreachableGatewayUrl() });
    await page.settle();
    expect(page.text('.claim__error')).toBe('网络不稳定，请稍后重试重试');
    page.cloud.gatewayUrl = process.env.EMULATOR_URL!;
    page.tap('.claim__retry');
    await page.settle();
    expect(page.text('.claim__actions')).toBe('领取');
  });
});

describe('a refunded gift', () => {
  it('shows the giver it was refunded, with the order instead of sharing', async () => {
    const giver = newLearner();
    const giftId = await giftBought(giver);
    await refundAsked(giver, giftId);
    const held = openClaim(giver, giftId);
    await held.settle();
    expect(held.text('.claim__card')).toBe(`你送出的礼物${TITLE}退款中退款处理中，好友暂不能领取`);
    expect(held.text('.claim__actions')).toBe('查看订单');
    held.unload();

    await refunded(giftId);
    const page = openClaim(giver, giftId);
    await page.settle();
    expect(page.text('.claim__card')).toMatch(new RegExp(`^你送出的礼物${TITLE}已退款已于 \\d{4}-\\d\\d-\\d\\d 退款，好友不能再领取$`));
    expect(page.text('.claim__actions')).toBe('查看订单');
    expect(page.exists('.claim__share')).toBe(false);
    // Shared from the menu, it is the course, not a gift nobody can claim.
    expect((page.component.instance.onShareAppMessage as () => unknown)()).toEqual({ title: TITLE, path: `/packages/course/detail/index?id=${COURSE}`, imageUrl: COVER });
    page.tap('.claim__order');
    await page.settle();
    expect(page.wxCalls('navigateTo')).toEqual([{ url: `/packages/order/detail/index?id=${giftId}` }]);
  });

  it('offers a friend nothing to claim while the refund is under way, nor once it is done', async () => {
    const giver = newLearner();
    const giftId = await giftBought(giver);
    await refundAsked(giver, giftId);
    const friend = newLearner();
    const held = openClaim(friend, giftId);
    await held.settle();
    expect(held.text('.claim__state')).toBe('退款中送礼人正在办理退款，这份礼物暂不能领取');
    expect(held.exists('.claim__claim')).toBe(false);
    expect(held.text('.claim__actions')).toBe('去首页看看');
    held.unload();

    await refunded(giftId);
    const page = openClaim(friend, giftId);
    await page.settle();
    expect(page.text('.claim__state')).toBe('已退款这份礼物已退款，无法领取');
    expect(page.exists('.claim__claim')).toBe(false);
    expect(page.text('.claim__actions')).toBe('去首页看看');
    expect(await entitlementsOf(friend)).toEqual([]);
  });

  it('tells a friend whose page was open before the refund was asked for, when they tap claim', async () => {
    const giver = newLearner();
    const giftId = await giftBought(giver);
    const friend = newLearner();
    const stale = openClaim(friend, giftId);
    await stale.settle();
    await refundAsked(giver, giftId);

    stale.tap('.claim__claim');
    await until(stale, '退款中');
    expect(stale.wxCalls('showToast')).toEqual([{ title: '送礼人正在办理退款，这份礼物暂不能领取', icon: 'none' }]);
    expect(stale.text('.claim__actions')).toBe('去首页看看');
    expect(await entitlementsOf(friend)).toEqual([]);
  });

  it('tells the friend who had claimed it that the course went with the refund', async () => {
    const giftId = await giftBought(newLearner());
    const friend = newLearner();
    await gateway(friend, 'claimGift', { giftId });
    await refunded(giftId);

    const page = openClaim(friend, giftId);
    await page.settle();
    expect(page.text('.claim__state')).toBe('已退款送礼人已退款，这门课程已不能继续学习');
    expect(page.text('.claim__actions')).toBe('查看课程');
    expect(await studyFromClaim(page, friend)).toBe('免费试看立即购买 ¥199发起拼团 ¥149');
  });

  it('is listed as refunded, one being refunded as such', async () => {
    const giver = newLearner();
    const first = await giftBought(giver, 'talk-meeting');
    const second = await giftBought(giver);
    await refunded(first);
    await refundAsked(giver, second);

    const page = renderPage('packages/gift/list/index', { openid: giver });
    await page.settle();
    expect(page.component.querySelectorAll('.gifts__item').map((item) => item.dom.textContent!.replace(/\s+/g, ''))).toEqual([
      expect.stringMatching(new RegExp(`^${TITLE.replace(/\s+/g, '')}\\d{4}-\\d\\d-\\d\\d购买退款中$`)),
      expect.stringMatching(/^向上管理与会议表达\d{4}-\d\d-\d\d购买已退款$/),
    ]);
  });
});

describe('my gifts', () => {
  it('lists the gifts the learner sent with their state, opens one, and is linked from me', async () => {
    const giver = newLearner();
    const first = await giftBought(giver, 'talk-meeting');
    const second = await giftBought(giver);
    await postJson(`${emulatorUrl()}/gateway/callFunction`, { name: 'claimGift', openid: newLearner(), data: { giftId: first } });

    const page = renderPage('packages/gift/list/index', { openid: giver });
    await page.settle();
    expect(page.component.querySelectorAll('.gifts__item').map((item) => item.dom.textContent!.replace(/\s+/g, ''))).toEqual([
      expect.stringMatching(new RegExp(`^${TITLE.replace(/\s+/g, '')}\\d{4}-\\d\\d-\\d\\d购买待领取$`)),
      expect.stringMatching(/^向上管理与会议表达\d{4}-\d\d-\d\d购买已领取$/),
    ]);
    page.tap('.gifts__item');
    await page.settle();
    expect(page.wxCalls('navigateTo')).toEqual([{ url: `/packages/gift/claim/index?giftId=${second}` }]);
    page.unload();

    const me = renderPage('pages/me/index', { openid: giver });
    await me.settle();
    me.tap('.me__entry--gifts');
    await me.settle();
    expect(me.wxCalls('navigateTo')).toEqual([{ url: '/packages/gift/list/index' }]);
  });

  it('invites a learner who sent none to the home page', async () => {
    const page = renderPage('packages/gift/list/index', { openid: newLearner() });
    await page.settle();
    expect(page.text()).toBe('还没有送出礼物，在课程页点“送给好友”即可去首页');
    page.tap('.gifts__browse');
    await page.settle();
    expect(page.wxCalls('switchTab')).toEqual([{ url: '/pages/home/index' }]);
  });
});

describe('gifts in the client database', () => {
  it("lets the giver read their own gift, refuses anyone else's read, and every write", async () => {
    const giver = newLearner();
    const giftId = await giftBought(giver);
    const { cloud: session } = loadModule('services/cloud', { openid: giver });
    const gifts = clientDatabase().collection('gifts');
    await expect(gifts.doc(giftId).get()).resolves.toMatchObject({ data: { _id: giftId, from: giver, status: 'unclaimed' } });
    await expect(gifts.doc(giftId).update({ data: { status: 'claimed' } })).rejects.toMatchObject({ errCode: -502003 });

    session.openid = newLearner();
    await expect(gifts.doc(giftId).get()).rejects.toMatchObject({ errCode: -502003 });
    expect(await giftOf(giftId)).toMatchObject({ status: 'unclaimed' });
  });
});
