/**
 * `wx.getDeviceInfo` and `wx.login` for the mini-program harness. The device is WeChat DevTools unless a
 * test picks another with `useDevice` (after launching: each launch starts from DevTools again), so pages
 * pay with the default provider unless a test plays an iPhone. `wx.login` asks the emulator's gateway for
 * a code that `sns/jscode2session` then exchanges for the session's learner, as WeChat does.
 */
import { postJson } from './http';

export interface DeviceInfo {
  brand: string;
  model: string;
  /** e.g. 'iOS 17.4', 'Android 14' */
  system: string;
  /** 'ios', 'android', 'windows', 'mac', 'devtools', 'ohos' */
  platform: string;
}

const DEVTOOLS: DeviceInfo = { brand: 'devtools', model: 'iPhone 12/13 Pro Max', system: 'iOS 10.0.1', platform: 'devtools' };

let device = DEVTOOLS;

/** The device the next `wx.getDeviceInfo` calls describe, until the next launch. */
export function useDevice(info: Partial<DeviceInfo>) {
  device = { ...DEVTOOLS, ...info };
}

export interface LoginSession {
  readonly gatewayUrl: string;
  readonly openid: string;
  track<T>(work: Promise<T>): Promise<T>;
}

/** What the harness lends: its callback-or-promise convention and the error pages receive. */
export interface LoginKit {
  asyncApi(param: Record<string, unknown> | undefined, work: Promise<unknown>): Promise<unknown> | undefined;
  CloudError: new (errCode: number, errMsg: string) => Error;
}

export function wxDevice(session: LoginSession, { asyncApi, CloudError }: LoginKit) {
  device = DEVTOOLS;
  async function login(): Promise<unknown> {
    let reply: { status: number; body: Record<string, unknown> };
    try {
      reply = await postJson(`${session.gatewayUrl}/gateway/login`, { openid: session.openid });
    } catch (e) {
      throw new CloudError(-1, `login:fail ${(e as Error).message}`);
    }
    // Any other status is the gateway refusing a malformed call: a bug of the harness.
    if (reply.status !== 200) throw new Error(`login gateway answered ${reply.status}: ${JSON.stringify(reply.body)}`);
    return reply.body;
  }
  return {
    getDeviceInfo: () => ({ ...device }),
    login: (param?: Record<string, unknown>) => asyncApi(param, session.track(login())),
  };
}
