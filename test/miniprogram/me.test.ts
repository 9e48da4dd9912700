import { newLearner, renderPage, unreachableGatewayUrl } from '../support/miniprogram';

describe('me page', () => {
  it('logs the learner in and shows their nickname', async () => {
    const openid = newLearner();
    const page = renderPage('pages/me/index', { openid });
    expect(page.text('.me__state')).toBe('加载中…');

    await page.settle();

    expect(page.text('.me__nickname')).toBe(`学员${openid.slice(-4)}`);
    expect(page.text('.me__avatar--placeholder')).toBe('学');
    expect(page.exists('.me__retry')).toBe(false);
    expect(page.cloud.calls).toEqual([
      expect.objectContaining({ name: 'login', openid, outcome: expect.objectContaining({ result: expect.objectContaining({ ok: true }) }) }),
    ]);
  });

  it('shows an error with a retry button when the network fails, and recovers on retry', async () => {
    const openid = newLearner();
    const page = renderPage('pages/me/index', { openid, gatewayUrl: await unreachableGatewayUrl() });

    await page.settle();

    expect(page.text('.me__error')).toBe('网络不稳定，请稍后重试');
    expect(page.text('.me__retry')).toBe('重试');
    expect(page.exists('.me__nickname')).toBe(false);

    page.cloud.gatewayUrl = process.env.EMULATOR_URL!;
    page.tap('.me__retry');
    await page.settle();

    expect(page.text('.me__nickname')).toBe(`学员${openid.slice(-4)}`);
    expect(page.exists('.me__error')).toBe(false);
    expect(page.cloud.calls.map((c) => c.outcome && 'errCode' in c.outcome)).toEqual([true, false]);
  });

  it('initialises the cloud from the app config before calling', async () => {
    const page = renderPage('pages/me/index', { openid: newLearner() });
    await page.settle();
    expect(page.cloud.initedWith).toEqual({ env: undefined, traceUser: true });
  });
});
