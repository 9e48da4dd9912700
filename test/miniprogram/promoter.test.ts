import type { SaveDistributionSettingsRequest, SettleCommissionsReport } from '../../domain/contracts/distribution';
import type { Reply } from '../../domain/contracts/result';
import type { Commission, Referral } from '../../domain/distribution/model';
import { ordersOf } from '../support/commerce';
import { newLearner, renderPage, type RenderedPage } from '../support/miniprogram';
import { openCourse } from '../support/pages';
import { ownEmulatorForFile } from '../support/own-emulator';
import { connectSdk, emulatorUrl } from '../support/sdk';
import { staffOk } from '../support/staff';
import { answerScope, answerSettings, savedToAlbum, scopeDialogs, settingsPagesOpened } from '../support/wx/album';
import { canvasDrawings, type DrawCall } from '../support/wx/canvas';
import { postJson } from '../support/wx/http';

/**
 * Distribution on the learner's side (issue 12): 推广中心 (joining, the balances, commissions and
 * withdrawals), the referral a share card (`ref`) or a mini-program code (`scene`) carries to the course and
 * home pages, and the course's share poster drawn on a canvas and saved to the album behind the privacy
 * notice and the album scope. The school's distribution settings apply to every order: an emulator of its own.
 */
ownEmulatorForFile('promoter-pages');
const db = () => connectSdk().database();

const COURSE = 'excel-basics'; // ¥9.9, refundable within 7 days
const TITLE = 'Excel 零基础到高效办公';
const HOUR = 3_600_000;

const settings = (over: Partial<SaveDistributionSettingsRequest> = {}): SaveDistributionSettingsRequest => ({
  enabled: true,
  promoterRule: 'anyone',
  rate: 20,
  courseRates: [],
  bindDays: 30,
  ...over,
});
const saveSettings = (over: Partial<SaveDistributionSettingsRequest> = {}) => staffOk('owner', 'saveDistributionSettings', settings(over) as unknown as Record<string, unknown>);

beforeAll(async () => {
  await saveSettings();
}, 30_000);

const openPromoter = (openid: string) => renderPage('packages/growth/promoter/index', { openid });

/** A learner joins from 推广中心; answers their code. */
async function joined(openid: string): Promise<string> {
  const page = openPromoter(openid);
  await page.settle();
  page.tap('.promoter__join');
  await page.settle();
  const code = (page.data.profile as { code: string }).code;
  page.unload();
  return code;
}

async function fireSettleCommissions() {
  // jsdom has no fetch: Node's http, as the harness does.
  const { body } = await postJson<{ status: string; result: Reply<SettleCommissionsReport> }>(`${emulatorUrl()}/__emulator/timers/settleCommissions/every10Minutes/fire`, {});
  expect(body.status).toBe('ok');
  return body.result;
}

const texts = (calls: DrawCall[]) => calls.filter((c) => c.op === 'fillText').map((c) => c.args[0]);
const images = (calls: DrawCall[]) => calls.filter((c) => c.op === 'drawImage').map((c) => c.args[0] as { image: string; loaded: boolean });

describe('推广中心', () => {
  it('a learner joins, a friend scanning their code is bound and buys, and the commission is withdrawn once settled', async () => {
    const promoter = newLearner();
    const page = openPromoter(promoter);
    await page.settle();
    expect(page.text('.promoter__intro')).toContain('好友通过你的分享购买课程，你可获得实付金额 20% 的佣金');
    expect(page.exists('.promoter__why')).toBe(false);
    expect(page.text('.promoter__rules')).toContain('佣金在订单退款期结束后可提现，订单退款后佣金自动扣回；提现由学校人工转账');

    page.tap('.promoter__join');
    await page.settle();
    expect(page.wxCalls('showToast')).toEqual([{ title: '你已成为推广员', icon: 'success' }]);
    expect(page.cloud.calls.map((c) => c.name)).toEqual(['getPromoterProfile', 'joinPromoters', 'getPromoterProfile', 'getWallet']);
    const code = (page.data.profile as { code: string }).code;
    expect(code).toMatch(/^[A-Z2-9]{8}$/);
    expect(page.text('.promoter__code')).toBe(`我的推广码 ${code} · 佣金比例 20%`);
    expect(page.text('.promoter__totals')).toBe('¥0待结算¥0可提现¥0提现中¥0已提现');
    expect(page.text('.promoter__commissions')).toContain('还没有佣金');
    page.unload();

    // A friend scans the poster's code: the course page opens with its scene, binds them, and shows the course.
    const buyer = newLearner();
    const detail = renderPage('packages/course/detail/index', { openid: buyer, query: { scene: encodeURIComponent(`r=${code}&c=${COURSE}`) } });
    await detail.settle();
    expect(detail.text('.detail__header')).toContain(TITLE);
    expect(detail.cloud.calls.filter((c) => c.name === 'bindReferrer')).toEqual([expect.objectContaining({ data: { code } })]);
    const referral = (await db().collection<Referral>('referrals').doc(buyer).get()).data;
    expect(referral).toMatchObject({ referrer: promoter, code });

    // A pull-down refresh binds nothing again.
    detail.pullDownRefresh();
    await detail.settle();
    expect(detail.cloud.calls.filter((c) => c.name === 'bindReferrer')).toHaveLength(1);

    detail.tap('.detail__buy');
    await detail.settle();
    const [order] = await ordersOf(buyer);
    expect(order).toMatchObject({ status: 'paid', amount: 990 });
    detail.unload();
    expect((await db().collection<Commission>('commissions').doc(order!._id).get()).data).toMatchObject({ referrer: promoter, amount: 198, status: 'pending' });

    const wallet = openPromoter(promoter);
    await wallet.settle();
    expect(wallet.text('.promoter__total--pending')).toBe('¥1.98待结算');
    expect(wallet.text('.promoter__total--available')).toBe('¥0可提现');
    expect(wallet.text('.promoter__commission')).toMatch(new RegExp(`^${TITLE}待结算订单金额 ¥9.9佣金 ¥1.98预计 \\d\\d-\\d\\d 可提现$`));

    // Too little to withdraw yet: the server's reason.
    wallet.tap('.promoter__withdraw');
    await wallet.settle();
    expect(wallet.wxCalls('showToast')).toEqual([{ title: '可提现金额满 1 元才能申请提现', icon: 'none' }]);

    // The refund window passes (data setup) and the timer settles the commission.
    await db().collection('commissions').doc(order!._id).update({ data: { availableAt: new Date(Date.now() - HOUR) } });
    expect(await fireSettleCommissions()).toMatchObject({ ok: true, data: { available: 1 } });
    wallet.pullDownRefresh();
    await wallet.settle();
    expect(wallet.text('.promoter__total--pending')).toBe('¥0待结算');
    expect(wallet.text('.promoter__total--available')).toBe('¥1.98可提现');
    expect(wallet.text('.promoter__commission')).toMatch(/可提现订单金额 ¥9.9佣金 ¥1.98\d\d-\d\d 成交$/);

    wallet.tap('.promoter__withdraw');
    await wallet.settle();
    expect(wallet.wxCalls('showToast').at(-1)).toEqual({ title: '已申请提现 ¥1.98', icon: 'none' });
    expect(wallet.cloud.calls.map((c) => c.name).slice(-3)).toEqual(['requestWithdrawal', 'getPromoterProfile', 'getWallet']);
    expect(wallet.text('.promoter__total--available')).toBe('¥0可提现');
    expect(wallet.text('.promoter__total--requested')).toBe('¥1.98提现中');
    expect(wallet.text('.promoter__commission')).toContain('提现中');
    expect(wallet.text('.promoter__withdrawal')).toMatch(/^¥1.98处理中\d\d-\d\d 申请$/);

    // Staff transfer it and mark it paid, with a note the promoter reads.
    const queue = (await staffOk<{ withdrawals: Array<{ id: string; openid: string }> }>('owner', 'listWithdrawals', { status: 'requested' })).data.withdrawals;
    const mine = queue.find((w) => w.openid === promoter)!;
    await staffOk('owner', 'decideWithdrawal', { withdrawalId: mine.id, paid: true, note: '微信转账 4200001234' });
    wallet.pullDownRefresh();
    await wallet.settle();
    expect(wallet.text('.promoter__total--withdrawn')).toBe('¥1.98已提现');
    expect(wallet.text('.promoter__withdrawal')).toMatch(/^¥1.98已打款\d\d-\d\d 申请 · \d\d-\d\d 处理备注：微信转账 4200001234$/);
  });

  it('tells a learner why they cannot join: only buyers, or distribution off', async () => {
    await saveSettings({ promoterRule: 'buyers' });
    try {
      const learner = newLearner();
      const page = openPromoter(learner);
      await page.settle();
      expect(page.text('.promoter__why')).toBe('购买任意课程后即可成为推广员');
      expect(page.data.profile).toMatchObject({ promoter: false, canJoin: false });
      expect(page.component.querySelector('.promoter__join')!.data.disabled).toBe(true);
      page.unload();

      await saveSettings({ enabled: false });
      const off = openPromoter(learner);
      await off.settle();
      expect(off.text('.promoter__why')).toBe('学校暂未开放推广');
      expect(off.exists('.promoter__rate')).toBe(false);
    } finally {
      await saveSettings();
    }
  });
});

describe('shares carry the referral', () => {
  it('a promoter’s share card adds their code; a learner opening it, or the home page’s code, is bound once', async () => {
    const promoter = newLearner();
    const code = await joined(promoter);
    const detail = openCourse(promoter, COURSE);
    await detail.settle();
    expect(detail.cloud.calls.map((c) => c.name)).toContain('getPromoterProfile');
    expect((detail.component.instance.onShareAppMessage as () => unknown)()).toEqual({
      title: TITLE,
      path: `/packages/course/detail/index?id=${COURSE}&ref=${code}`,
      imageUrl: 'cloud://local-env.6c6f-local-env-1300000000/demo/cover-excel-basics.jpg',
    });
    detail.unload();

    const friend = newLearner();
    const shared = renderPage('packages/course/detail/index', { openid: friend, query: { id: COURSE, ref: code } });
    await shared.settle();
    expect(shared.cloud.calls[0]).toMatchObject({ name: 'bindReferrer', data: { code } });
    expect(shared.text('.detail__header')).toContain(TITLE);
    // Their own share card carries no code: they have none.
    expect((shared.component.instance.onShareAppMessage as () => { path: string })().path).toBe(`/packages/course/detail/index?id=${COURSE}`);
    expect((await db().collection<Referral>('referrals').doc(friend).get()).data.referrer).toBe(promoter);

    // The same code opened again while the mini program runs: not sent again.
    const again = shared.open('packages/course/detail/index', { id: COURSE, ref: code });
    await again.settle();
    expect(shared.cloud.calls.filter((c) => c.name === 'bindReferrer')).toHaveLength(1);

    const other = newLearner();
    const home = renderPage('pages/home/index', { openid: other, query: { scene: encodeURIComponent(`r=${code}`) } });
    await home.settle();
    expect(home.cloud.calls.map((c) => [c.name, c.data])).toEqual([
      ['bindReferrer', { code }],
      ['getHome', {}],
    ]);
    expect((await db().collection<Referral>('referrals').doc(other).get()).data.referrer).toBe(promoter);
  });

  it('reads the code once per launch, and a card shared before it arrived waits for it', async () => {
    const promoter = newLearner();
    const code = await joined(promoter);
    const detail = openCourse(promoter, COURSE);
    // Shared at once: the card without the code now, and the one carrying it once the code is read.
    const early = (detail.component.instance.onShareAppMessage as () => { path: string; promise?: Promise<{ path: string }> })();
    expect(early.path).toBe(`/packages/course/detail/index?id=${COURSE}`);
    expect((await early.promise!).path).toBe(`/packages/course/detail/index?id=${COURSE}&ref=${code}`);
    await detail.settle();

    // Another course page of the same launch: no second read, and the card carries the code at once.
    const next = detail.open('packages/course/detail/index', { id: 'excel-advanced' });
    await next.settle();
    expect(detail.cloud.calls.filter((c) => c.name === 'getPromoterProfile')).toHaveLength(1);
    expect((next.component.instance.onShareAppMessage as () => unknown)()).toMatchObject({ path: `/packages/course/detail/index?id=excel-advanced&ref=${code}` });
  });

  it('a learner who joins during the launch shares their new code from then on', async () => {
    const learner = newLearner();
    const detail = openCourse(learner, COURSE);
    await detail.settle();
    expect((detail.component.instance.onShareAppMessage as () => { path: string })().path).toBe(`/packages/course/detail/index?id=${COURSE}`);
    const page = detail.open('packages/growth/promoter/index');
    await page.settle();
    page.tap('.promoter__join');
    await page.settle();
    const code = (page.data.profile as { code: string }).code;
    const reads = () => page.cloud.calls.filter((c) => c.name === 'getPromoterProfile').length;
    const readsBefore = reads();
    const next = page.open('packages/course/detail/index', { id: COURSE });
    await next.settle();
    expect((next.component.instance.onShareAppMessage as () => { path: string })().path).toBe(`/packages/course/detail/index?id=${COURSE}&ref=${code}`);
    // The code came with joining: the course page did not read it again.
    expect(reads()).toBe(readsBefore);
  });

  it('opens fine when the referral cannot be bound (an unknown code, a malformed scene)', async () => {
    const learner = newLearner();
    const page = renderPage('packages/course/detail/index', { openid: learner, query: { scene: encodeURIComponent(`r=NOSUCH99&c=${COURSE}`) } });
    await page.settle();
    expect(page.text('.detail__header')).toContain(TITLE);
    expect(page.cloud.calls[0]).toMatchObject({ name: 'bindReferrer', data: { code: 'NOSUCH99' } });
    expect(await db().collection('referrals').where({ _id: learner }).count()).toMatchObject({ total: 0 });

    const malformed = renderPage('pages/home/index', { openid: learner, query: { scene: '%E0%A4%A' } });
    await malformed.settle();
    expect(malformed.cloud.calls.map((c) => c.name)).toEqual(['getHome']);
  });
});

describe('分享海报', () => {
  async function openPoster(openid: string): Promise<RenderedPage> {
    const detail = openCourse(openid, COURSE);
    await detail.settle();
    detail.tap('.detail__share-poster');
    await detail.settle();
    return detail;
  }

  /** The privacy notice inside the poster: WeChat asks it before the album; the learner agrees. */
  async function agreeToPrivacy(detail: RenderedPage) {
    await new Promise((r) => setTimeout(r, 20));
    const popup = detail.component.querySelector('.detail__poster >>> .poster__privacy')!;
    expect(popup.querySelector('.privacy__title')!.dom.textContent).toBe('隐私保护提示');
    popup.querySelector('#privacy-agree')!.dispatchEvent('agreeprivacyauthorization', {});
    await detail.settle();
  }

  it('draws the cover, title, price and the learner’s code, and saves it to the album once allowed', async () => {
    const promoter = newLearner();
    const code = await joined(promoter);
    const detail = await openPoster(promoter);
    const shareCall = detail.cloud.calls.find((c) => c.name === 'getShareCode')!;
    expect(shareCall.data).toEqual({ courseId: COURSE });
    const share = (shareCall.outcome as { result: Reply<{ url: string; scene: string }> }).result;
    expect(share).toMatchObject({ ok: true, data: { scene: `r=${code}&c=${COURSE}` } });
    const codeUrl = share.ok ? share.data.url : '';

    const [drawing] = canvasDrawings();
    expect(drawing!.canvas).toBe('poster-canvas');
    expect(texts(drawing!.calls)).toEqual([TITLE, '¥9.9', '长按识别小程序码', '和我一起学这门课']);
    // The cover (a catalog picture storage's rules let every learner read), then the code, each loaded first.
    expect(images(drawing!.calls)).toEqual([
      { image: expect.stringContaining('demo/cover-excel-basics.jpg'), loaded: true },
      { image: codeUrl, loaded: true },
    ]);
    expect(detail.component.querySelector('.detail__poster')!.data.status).toBe('ready');

    detail.tap('.detail__poster >>> .poster__save');
    await agreeToPrivacy(detail);
    expect(scopeDialogs()).toEqual(['scope.writePhotosAlbum']);
    const saved = savedToAlbum();
    expect(saved).toHaveLength(1);
    expect(texts(saved[0]!.drawing!.calls)).toContain(TITLE);
    expect(images(saved[0]!.drawing!.calls)).toContainEqual({ image: codeUrl, loaded: true });
    expect(detail.wxCalls('showToast')).toEqual([{ title: '已保存到相册', icon: 'success' }]);

    // Saved again: neither the notice nor the dialog asks twice.
    detail.tap('.detail__poster >>> .poster__save');
    await detail.settle();
    expect(savedToAlbum()).toHaveLength(2);
    expect(scopeDialogs()).toHaveLength(1);

    detail.tap('.detail__poster >>> .poster__close');
    await detail.settle();
    expect(detail.exists('.detail__poster')).toBe(false);
  });

  it('offers the settings page when the learner denied the album, and saves once they allow it there', async () => {
    const learner = newLearner();
    const detail = await openPoster(learner);
    answerScope(false);
    detail.tap('.detail__poster >>> .poster__save');
    await agreeToPrivacy(detail);
    expect(detail.wxCalls('showModal')).toEqual([expect.objectContaining({ title: '无法保存到相册', confirmText: '去设置' })]);
    expect(settingsPagesOpened()).toBe(1);
    expect(savedToAlbum()).toEqual([]);

    // Next time: denied still, so the modal again (WeChat does not ask twice); they turn it on in the settings.
    answerSettings({ 'scope.writePhotosAlbum': true });
    detail.tap('.detail__poster >>> .poster__save');
    await detail.settle();
    expect(detail.wxCalls('showModal')).toHaveLength(2);
    expect(settingsPagesOpened()).toBe(2);
    expect(savedToAlbum()).toHaveLength(1);
    expect(scopeDialogs()).toEqual(['scope.writePhotosAlbum']);
  });
});
