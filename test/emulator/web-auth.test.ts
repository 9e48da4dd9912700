import cloudbase from '@cloudbase/js-sdk';
import { parseWebAuthConfig } from '../../emulator/src/auth/config';
import { callAs, control, emulatorUrl } from '../support/sdk';

/**
 * The web SDK's wire surface (issue 11's console): the real `@cloudbase/js-sdk` v3, in its Node build, signs in
 * with a username and password declared in `webAuth` of cloud.config.json, refreshes, signs out and calls
 * functions through the emulator. Pointed at it the way the console will be:
 *
 *   const app = cloudbase.init({ env: 'local-env' });
 *   app.registerHost('127.0.0.1:9911', 'http');   // auth at /auth/v1/..., functions at /v1/functions/{name}
 *
 * (`init` defaults to endPointMode GATEWAY: `app.callFunction` POSTs the data to `/v1/functions/{name}` with
 * `Authorization: Bearer <access_token>`; the function's return value is the answer's body.)
 */

interface WhoAmI {
  event: Record<string, unknown>;
  userInfo: { uid: string; openId: string; isAnonymous: boolean };
  cloudbaseContext: Record<string, string | undefined>;
  wxContext: Record<string, string | undefined>;
}

interface InvocationRecord {
  id: string;
  functionName: string;
  uid?: string;
  openid?: string;
  status: string;
}

const OWNER = { username: 'owner', password: 'owner-demo-pass', uid: 'u-demo-owner' };

const whoamiInvocations = async () =>
  (await control<InvocationRecord[]>('GET', '/invocations?limit=1000')).filter((r) => r.functionName === 'web-whoami');

let app: ReturnType<typeof cloudbase.init>;

beforeAll(() => {
  app = cloudbase.init({ env: 'local-env' });
  app.registerHost(new URL(emulatorUrl()).host, 'http');
});

describe('web SDK against the emulator', () => {
  it('signs in with a declared username and password, and knows the current user', async () => {
    const auth = app.auth();
    const { data, error } = await auth.signInWithPassword({ username: OWNER.username, password: OWNER.password });
    expect(error).toBeNull();
    expect(data.user?.id).toBe(OWNER.uid);
    expect(data.session?.access_token).toEqual(expect.any(String));
    expect(data.session?.refresh_token).toEqual(expect.any(String));
    expect(data.session?.token_type).toBe('Bearer');

    const current = await auth.getUser();
    expect(current.error).toBeNull();
    expect(current.data.user).toMatchObject({ id: OWNER.uid, user_metadata: { username: 'owner', name: '演示店主' } });
  });

  it('calls a function with the web user identity in its context and no openid', async () => {
    const { result } = (await app.callFunction({ name: 'web-whoami', data: { hello: 'console' } })) as { result: WhoAmI };
    expect(result.event).toEqual({ hello: 'console' });
    expect(result.userInfo).toMatchObject({ uid: OWNER.uid, openId: '', isAnonymous: false });
    expect(result.cloudbaseContext).toMatchObject({ TCB_UUID: OWNER.uid, TCB_SOURCE: 'web', LOGINTYPE: 'USERNAME', TCB_ENV: 'local-env' });
    expect(result.cloudbaseContext.WX_OPENID).toBeUndefined();
    expect(result.wxContext.OPENID).toBeUndefined();
    expect(result.wxContext.ENV).toBe('local-env');
    // The invocation record names the web user (the inspection page shows it where it shows a learner's openid).
    const [latest] = await whoamiInvocations();
    expect(latest).toMatchObject({ uid: OWNER.uid, status: 'ok' });
    expect(latest!.openid).toBeUndefined();

    // A learner's call afterwards (a warm instance, maybe the same) carries no trace of the web user.
    const learner = await callAs<WhoAmI>('o-after-web', 'web-whoami');
    expect(learner.body.result!.userInfo).toMatchObject({ uid: '', openId: 'o-after-web' });
    expect(learner.body.result!.cloudbaseContext.TCB_UUID).toBeUndefined();
  });

  it('refreshes the session: new tokens, and an expired access token refused until then', async () => {
    const auth = app.auth();
    const before = (await auth.getSession()).data.session!;
    // The emulator's token clock moves past the access token's 2 hours; the SDK still believes it valid.
    await control('POST', '/auth/clock', { advanceMs: 2 * 3600_000 + 60_000 });
    const refused = (await app.callFunction({ name: 'web-whoami', data: {} })) as { code?: string; message?: string };
    expect(refused).toMatchObject({ code: 'ACCESS_TOKEN_EXPIRED' });

    const { data, error } = await auth.refreshSession();
    expect(error).toBeNull();
    expect(data.session!.access_token).not.toBe(before.access_token);
    expect(data.session!.refresh_token).not.toBe(before.refresh_token);
    const { result } = (await app.callFunction({ name: 'web-whoami', data: {} })) as { result: WhoAmI };
    expect(result.userInfo.uid).toBe(OWNER.uid);

    // The old refresh token was rotated out: it no longer grants anything.
    const reuse = await fetch(`${emulatorUrl()}/auth/v1/token`, {
      method: 'POST',
      body: JSON.stringify({ grant_type: 'refresh_token', refresh_token: before.refresh_token }),
    });
    expect(reuse.status).toBe(400);
    expect(await reuse.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('signs out: the token is revoked and function calls are refused without invoking', async () => {
    const auth = app.auth();
    const token = (await auth.getSession()).data.session!.access_token;
    const { error } = await auth.signOut();
    expect(error).toBeNull();
    const invocations = (await whoamiInvocations()).length;

    // The SDK has no session left: it sends the call without a token.
    const refused = (await app.callFunction({ name: 'web-whoami', data: {} })) as { code?: string; message?: string };
    expect(refused).toMatchObject({ code: 'INVALID_ACCESS_TOKEN', message: expect.stringContaining('sign in') });
    // The revoked token itself is refused too (a page that kept it).
    const stale = await fetch(`${emulatorUrl()}/v1/functions/web-whoami`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(stale.status).toBe(401);
    expect(await stale.json()).toMatchObject({ code: 'INVALID_ACCESS_TOKEN' });
    expect((await whoamiInvocations()).length).toBe(invocations);
  });

  it('refuses a wrong password or an unknown user with a clear error the SDK classifies', async () => {
    // The SDK prints its own troubleshooting guide for each refusal; the test keeps the output quiet.
    const quiet = [jest.spyOn(console, 'warn').mockImplementation(() => {}), jest.spyOn(console, 'info').mockImplementation(() => {})];
    try {
      const auth = app.auth();
      const wrong = await auth.signInWithPassword({ username: OWNER.username, password: 'not-the-password' });
      expect(wrong.data.user).toBeNull();
      expect(wrong.error?.message).toContain('wrong password for user "owner"');
      // `category` is the SDK's reading of the answer's `error` field (not in its published types).
      expect((wrong.error as unknown as { category: string }).category).toBe('INVALID_CREDENTIALS');
      const unknown = await auth.signInWithPassword({ username: 'nobody', password: 'whatever-pass' });
      expect(unknown.error?.message).toContain('user "nobody" is not declared in webAuth.users');
      expect((unknown.error as unknown as { category: string }).category).toBe('USER_NOT_FOUND');
    } finally {
      quiet.forEach((spy) => spy.mockRestore());
    }
  });
});

describe('web wire surface at the HTTP level', () => {
  it('answers a CORS preflight for the auth API and the function route, echoing the origin', async () => {
    const origin = 'http://localhost:5173';
    for (const path of ['/auth/v1/signin', '/v1/functions/web-whoami']) {
      const res = await fetch(`${emulatorUrl()}${path}`, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization,content-type,x-device-id,x-request-id,x-sdk-version',
        },
      });
      expect(res.status).toBe(204);
      expect(res.headers.get('access-control-allow-origin')).toBe(origin);
      expect(res.headers.get('access-control-allow-methods')).toContain('POST');
      expect(res.headers.get('access-control-allow-headers')).toContain('authorization');
      expect(res.headers.get('access-control-allow-headers')).toContain('x-device-id');
    }
  });

  it('sends CORS headers on answers too, refusals included', async () => {
    const origin = 'http://localhost:5173';
    const signIn = await fetch(`${emulatorUrl()}/auth/v1/signin`, {
      method: 'POST',
      headers: { origin, 'content-type': 'text/plain;charset=UTF-8' },
      body: JSON.stringify({ username: 'editor', password: 'editor-demo-pass' }),
    });
    expect(signIn.status).toBe(200);
    expect(signIn.headers.get('access-control-allow-origin')).toBe(origin);
    const tokens = (await signIn.json()) as { access_token: string; expires_in: number; sub: string; token_type: string };
    expect(tokens).toMatchObject({ token_type: 'Bearer', expires_in: 7200, sub: 'u-demo-editor' });

    const forged = await fetch(`${emulatorUrl()}/v1/functions/web-whoami`, {
      method: 'POST',
      headers: { origin, authorization: 'Bearer forged-token', 'content-type': 'application/json', 'x-request-id': 'req-1' },
      body: '{}',
    });
    expect(forged.status).toBe(401);
    expect(forged.headers.get('access-control-allow-origin')).toBe(origin);
    expect(await forged.json()).toEqual({ code: 'INVALID_ACCESS_TOKEN', message: expect.any(String), requestId: 'req-1' });

    const me = await fetch(`${emulatorUrl()}/auth/v1/user/me`, { headers: { origin, authorization: `Bearer ${tokens.access_token}` } });
    expect(me.headers.get('access-control-allow-origin')).toBe(origin);
    expect(await me.json()).toMatchObject({ sub: 'u-demo-editor', username: 'editor' });
  });

  it('answers CloudBase\'s FUNCTION_NOT_FOUND for an unknown function', async () => {
    const signIn = await fetch(`${emulatorUrl()}/auth/v1/signin`, {
      method: 'POST',
      body: JSON.stringify({ username: 'support', password: 'support-demo-pass' }),
    });
    const { access_token } = (await signIn.json()) as { access_token: string };
    const res = await fetch(`${emulatorUrl()}/v1/functions/no-such-function`, {
      method: 'POST',
      headers: { authorization: `Bearer ${access_token}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ code: 'FUNCTION_NOT_FOUND', message: expect.stringContaining('does not exist') });
  });
});

describe('webAuth in cloud.config.json', () => {
  it('refuses accounts the emulator could not tell apart, by field', () => {
    const user = { username: 'owner', password: 'owner-demo-pass', uid: 'u-demo-owner' };
    expect(() => parseWebAuthConfig({ users: [user, { ...user, uid: 'u-other' }] })).toThrow('usernames must be unique');
    expect(() => parseWebAuthConfig({ users: [user, { ...user, username: 'other' }] })).toThrow('uids must be unique');
    expect(() => parseWebAuthConfig({ users: [{ ...user, password: '123' }] })).toThrow('at least 6 characters');
    expect(parseWebAuthConfig(undefined)).toMatchObject({ users: [], accessTokenTtlSeconds: 7200 });
  });
});
