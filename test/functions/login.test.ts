import { callAs, connectSdk, uniqueName } from '../support/sdk';

describe('login', () => {
  const { callFunction, database } = connectSdk();

  it('creates the learner on the first visit and stamps later visits, keyed by the WeChat openid', async () => {
    const openid = uniqueName('o');
    const first = await callAs<{ ok: true; data: { profile: { openid: string; nickname: string; createdAt: string; lastLoginAt: string }; firstLogin: boolean } }>(openid, 'login');
    expect(first.body.result).toMatchObject({ ok: true, data: { firstLogin: true, profile: { openid, nickname: `学员${openid.slice(-4)}` } } });

    const second = await callAs<typeof first.body.result>(openid, 'login');
    expect(second.body.result!.data.firstLogin).toBe(false);
    expect(second.body.result!.data.profile.createdAt).toBe(first.body.result!.data.profile.createdAt);
    expect(new Date(second.body.result!.data.profile.lastLoginAt) >= new Date(first.body.result!.data.profile.lastLoginAt)).toBe(true);

    const { data } = await database().collection('users').doc(openid).get();
    expect(data).toMatchObject({ _id: openid, nickname: `学员${openid.slice(-4)}` });
    expect(second.dbRequests).toBe(2);
  });

  it('ignores an openid smuggled in the request and refuses unknown parameters', async () => {
    const reply = await callAs('o-real', 'login', { openid: 'o-victim' });
    expect(reply.body.result).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
  });

  it('refuses a caller with no WeChat identity (another function, a timer, a script)', async () => {
    const { result } = await callFunction('login');
    expect(result).toMatchObject({ ok: false, code: 'UNAUTHENTICATED' });
  });
});
