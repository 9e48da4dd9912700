import { loadModule, newLearner, unreachableGatewayUrl } from '../support/miniprogram';

/** miniprogram/services/cloud.ts, as this test uses it (its own types live in the mini program's world). */
interface CloudService {
  callFunction(name: string, data: object): Promise<unknown>;
  ServiceError: new (...args: never[]) => Error & { code: string };
}

const failureOf = (work: Promise<unknown>) =>
  work.then(
    (value) => {
      throw new Error(`expected a failure, got ${JSON.stringify(value)}`);
    },
    (e: Error & { code?: string }) => ({ type: e.name, code: e.code, message: e.message }),
  );

describe('services/cloud: the one transport, against the real gateway', () => {
  it('unwraps the envelope of a successful call', async () => {
    const openid = newLearner();
    const { module: cloud } = loadModule<CloudService>('services/cloud', { openid });
    await expect(cloud.callFunction('login', {})).resolves.toMatchObject({ firstLogin: true, profile: { openid } });
  });

  it("turns a refusal by the function into its code and the learner's message", async () => {
    const { module: cloud } = loadModule<CloudService>('services/cloud', { openid: newLearner() });
    const failure = await failureOf(cloud.callFunction('login', { openid: 'o-victim' }));
    expect(failure).toMatchObject({ type: 'ServiceError', code: 'INVALID_INPUT' });
    expect(failure.message).toMatch(/^参数错误/);
  });

  it('reports a crashed function, or one answering without the envelope, as unavailable', async () => {
    const { module: cloud, cloud: control } = loadModule<CloudService>('services/cloud', { openid: newLearner() });
    expect(await failureOf(cloud.callFunction('broken', { crash: true }))).toEqual({
      type: 'ServiceError',
      code: 'INTERNAL',
      message: '服务暂时不可用，请稍后重试',
    });
    expect(control.calls[0]!.outcome).toMatchObject({ errCode: -504002 });
    expect(await failureOf(cloud.callFunction('broken', {}))).toMatchObject({ code: 'INTERNAL', message: '服务暂时不可用，请稍后重试' });
  });

  it('reports a call that never got an answer as the network', async () => {
    const { module: cloud } = loadModule<CloudService>('services/cloud', { openid: newLearner(), gatewayUrl: await unreachableGatewayUrl() });
    expect(await failureOf(cloud.callFunction('login', {}))).toEqual({ type: 'ServiceError', code: 'NETWORK', message: '网络不稳定，请稍后重试' });
  });
});
