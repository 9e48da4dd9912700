import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { devToolsConfig, gatewayAddress, NEWCOMER, writeDevToolsConfig } from '../../emulator/src/devtools-config';
import { ordersOf, outboxOf } from '../support/commerce';
import { newLearner, renderPage, type LaunchOptions } from '../support/miniprogram';
import { openCourse, until } from '../support/pages';
import { connectSdk, waitFor } from '../support/sdk';

/**
 * The mini program in DevTools on the local cloud (issue 13): with config.local.json in the code package
 * (what npm start writes), every cloud call goes to the emulator's gateway over wx.request as the learner
 * picked on the developer panel; without it, through wx.cloud. A release build ignores the file.
 */
const db = connectSdk().database();
const gateway = () => process.env.EMULATOR_URL!;

/** The launch options of DevTools with `npm start`'s file: `learners` in the panel's order. */
function onLocalCloud(learners: string[], extra: Partial<LaunchOptions> = {}): LaunchOptions {
  const setup = {
    gateway: gateway(),
    learners: learners.map((openid, i) => ({ openid, name: `学员${i + 1}` })),
    console: { url: `${gateway()}/console/`, accounts: [{ username: 'owner', password: 'owner-demo-pass', name: '演示店主' }] },
  };
  // The harness's own learner (the openid of wx.cloud) is someone else: calls must name the picked one.
  return { openid: newLearner(), packageFiles: { 'config.local.json': JSON.stringify(setup) }, ...extra };
}

const gatewayPaths = (requests: ReadonlyArray<{ url: string }>) => requests.map((r) => new URL(r.url).pathname);

describe('the mini program on the local cloud', () => {
  it('npm start writes a file that puts the app on the local cloud as the first demo learner', async () => {
    const accounts = [{ username: 'owner', password: 'owner-demo-pass', name: '演示店主' }];
    const folder = mkdtempSync(join(tmpdir(), 'zhishi-mp-'));
    const file = writeDevToolsConfig(folder, devToolsConfig(gatewayAddress(gateway(), '127.0.0.1'), join(__dirname, '../../database/demo'), accounts))!;
    const written = JSON.parse(readFileSync(file, 'utf8')) as { learners: Array<{ openid: string }> };
    expect(written.learners.map((l) => l.openid)).toEqual(['o-demo-learner-0001', 'o-demo-learner-0002', NEWCOMER.openid]);
    // Listening on every interface, DevTools on another machine reaches the LAN address, on the same port.
    const lan = new URL(gatewayAddress('http://0.0.0.0:9911', '0.0.0.0'));
    expect([lan.port, lan.hostname === '0.0.0.0']).toEqual(['9911', false]);

    const me = renderPage('pages/me/index', { openid: newLearner(), packageFiles: { 'config.local.json': readFileSync(file, 'utf8') } });
    await me.settle();
    expect(me.text('.me__entry--dev')).toBe('开发者面板（本地云 · 小林（演示学员））›');
    expect(me.text('.me__nickname')).toBe('小林（演示学员）');
    expect(me.cloud.calls).toEqual([]);
  });

  it('without config.local.json calls functions through wx.cloud', async () => {
    const page = renderPage('pages/home/index', { openid: newLearner() });
    await page.settle();
    expect(page.text('.home__featured')).toContain('Excel 零基础到高效办公');
    expect(page.cloud.calls.map((c) => c.name)).toEqual(['getHome']);
    expect(page.cloud.initedWith).toBeDefined();
    expect(page.requests).toEqual([]);
  });

  it('with it calls the emulator over wx.request, and shows cloud files through temporary URLs', async () => {
    const page = renderPage('pages/home/index', onLocalCloud([newLearner()]));
    await page.settle();
    expect(page.text('.home__featured')).toContain('Excel 零基础到高效办公');
    expect(page.cloud.calls).toEqual([]);
    expect(page.cloud.initedWith).toBeUndefined();
    expect(gatewayPaths(page.requests)).toEqual(['/gateway/callFunction', '/gateway/storage/getTempFileURL']);
    // DevTools' <image> cannot load the emulator's cloud:// IDs: the covers are the emulator's URLs.
    const banners = page.data.banners as Array<{ image: string }>;
    expect(banners.length).toBeGreaterThan(0);
    for (const { image } of banners) expect(image.startsWith(`${gateway()}/`)).toBe(true);
  });

  it('a release build ignores the file and stays on WeChat’s cloud', async () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const page = renderPage('pages/home/index', onLocalCloud([newLearner()], { envVersion: 'release' }));
    await page.settle();
    expect(page.cloud.calls.map((c) => c.name)).toEqual(['getHome']);
    expect(page.requests).toEqual([]);
    expect(warn).toHaveBeenCalledWith("[local cloud] config.local.json is ignored in a release build: calls go to WeChat's cloud");
    warn.mockRestore();
  });

  it('a file that is not a local setup is ignored, saying why: the app still works on wx.cloud', async () => {
    const error = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const page = renderPage('pages/home/index', { openid: newLearner(), packageFiles: { 'config.local.json': '{"gateway": "not a url", "learners": []}' } });
    await page.settle();
    expect(page.text('.home__featured')).toContain('Excel 零基础到高效办公');
    expect(page.cloud.calls.map((c) => c.name)).toEqual(['getHome']);
    expect(error).toHaveBeenCalledWith(expect.stringContaining('config.local.json ignored (gateway must be the emulator base URL'));
    error.mockRestore();
  });

  it('buys a course as the picked learner: the pay sheet and the subscription dialog are settled by the sandboxes', async () => {
    const learner = newLearner();
    const detail = openCourse(learner, 'excel-advanced');
    detail.unload();
    const page = renderPage('packages/course/detail/index', { ...onLocalCloud([learner]), query: { id: 'excel-advanced' } });
    await page.settle();
    page.tap('.detail__buy');
    await page.settle();
    expect(page.wxCalls('showModal').map((m) => m.title)).toEqual(['支付 ¥199', '订阅消息（本地云）', '本地支付沙箱']);
    expect(page.wxCalls('navigateTo')).toEqual([{ url: '/packages/order/result/index?courseId=excel-advanced' }]);
    expect(gatewayPaths(page.requests)).toEqual(
      expect.arrayContaining(['/gateway/subscribeMessage', '/gateway/login', '/gateway/requestPayment']),
    );
    expect(page.cloud.calls).toEqual([]);
    const [order] = await ordersOf(learner);
    expect(order).toMatchObject({ status: 'paid', amount: 19900 });
    const notices = await waitFor(() => outboxOf(learner), (messages) => messages.length > 0);
    expect(notices).toEqual([expect.objectContaining({ title: '购买成功通知' })]);
    page.hideAndShow();
    await until(page, '开始学习');
  });

  it('cancelling the sandbox pay sheet closes the order unpaid, as cancelling WeChat’s does', async () => {
    const learner = newLearner();
    const page = renderPage('packages/course/detail/index', { ...onLocalCloud([learner]), query: { id: 'excel-advanced' } });
    await page.settle();
    const answers = [true, true, false];
    const wx = (globalThis as unknown as { wx: { showModal: (o: unknown) => Promise<unknown> } }).wx;
    const showModal = wx.showModal;
    wx.showModal = async (o) => ({ ...((await showModal(o)) as object), confirm: answers.shift(), cancel: false });
    page.tap('.detail__buy');
    await page.settle();
    expect(page.wxCalls('navigateTo')).toEqual([]);
    const [order] = await ordersOf(learner);
    expect(order).toMatchObject({ status: 'closed' });
  });

  it('uploads the avatar through the gateway and keeps file IDs, not URLs, in what it saves', async () => {
    const openid = newLearner();
    const avatar = join(mkdtempSync(join(tmpdir(), 'zhishi-avatar-')), 'wx-avatar.png');
    writeFileSync(avatar, Buffer.from('png-bytes'));
    const page = renderPage('packages/learn/profile/index', onLocalCloud([openid]));
    await page.settle();
    const agreed = page.needPrivacyAuthorization();
    await page.settle();
    page.component.querySelector('.profile__privacy')!.querySelector('#privacy-agree')!.dispatchEvent('agreeprivacyauthorization', {});
    await agreed;
    page.component.querySelector('.profile__avatar-button')!.dispatchEvent('chooseavatar', { detail: { avatarUrl: avatar } });
    await page.settle();
    page.tap('.profile__save');
    await page.settle();
    expect(page.wxCalls('showToast')).toEqual([{ title: '已保存', icon: 'none' }]);
    expect(gatewayPaths(page.requests)).toContain('/gateway/storage/uploadFile');
    const saved = (await db.collection<{ avatarUrl: string }>('users').doc(openid).get()).data;
    expect(saved.avatarUrl).toMatch(new RegExp(`^cloud://.+/avatars/${openid}/\\d+\\.png$`));

    // Opened again the page shows the avatar by URL; saving a new nickname sends the file ID back.
    const again = renderPage('packages/learn/profile/index', onLocalCloud([openid]));
    await again.settle();
    again.component.querySelector('.profile__nickname')!.dispatchEvent('blur', { detail: { value: '小林同学' } });
    again.tap('.profile__save');
    await again.settle();
    const resaved = (await db.collection<{ avatarUrl: string; nickname: string }>('users').doc(openid).get()).data;
    expect(resaved).toMatchObject({ nickname: '小林同学', avatarUrl: saved.avatarUrl });
  });

  it('the developer panel lists the learners and relaunches as the one picked', async () => {
    const [first, second] = [newLearner(), newLearner()];
    const me = renderPage('pages/me/index', onLocalCloud([first, second]));
    await me.settle();
    expect(me.text('.me__entry--dev')).toBe('开发者面板（本地云 · 学员1）›');
    me.tap('.me__entry--dev');
    await me.settle();
    expect(me.wxCalls('navigateTo')).toEqual([{ url: '/packages/dev/panel/index' }]);

    const panel = me.open('packages/dev/panel/index');
    await panel.settle();
    expect(panel.text('.panel__gateway')).toBe(gateway());
    expect(panel.text('.panel__learner--current')).toBe(`学员1${first}当前`);
    expect(panel.text('.panel__console')).toContain('owner / owner-demo-pass');
    panel.component.querySelectorAll('.panel__learner')[1]!.dispatchEvent('tap');
    await panel.settle();
    expect(panel.wxCalls('reLaunch')).toEqual([{ url: '/pages/home/index' }]);

    // The relaunched app calls as the second learner: their profile is the one created.
    const relaunched = renderPage('pages/me/index', { ...onLocalCloud([first, second]), openid: me.cloud.openid });
    await relaunched.settle();
    expect(relaunched.text('.me__entry--dev')).toBe('开发者面板（本地云 · 学员2）›');
    expect((await db.collection('users').doc(second).get()).data).toBeDefined();
  });

  it('without the local setup the panel says the app is on WeChat’s cloud, and 我的 has no entry to it', async () => {
    const me = renderPage('pages/me/index', { openid: newLearner() });
    await me.settle();
    expect(me.exists('.me__entry--dev')).toBe(false);
    const panel = renderPage('packages/dev/panel/index', { openid: newLearner() });
    await panel.settle();
    expect(panel.text()).toBe('当前连接的是微信云开发环境。运行 npm start 后重新编译，即可连接本地云。');
  });
});
