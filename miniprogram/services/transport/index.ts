/**
 * The mini program's one way to the platform: cloud functions, storage, the pay sheets, the subscription
 * dialog and `wx.login` all go through `transport()`. On a phone, and in DevTools without a local setup,
 * that is WeChat's (`wx.cloud`, `wx.requestPayment`...). With `config.local.json` (written by `npm start`,
 * git-ignored) in a development build, it is the local emulator's client gateway over `wx.request`, as the
 * learner picked on the developer panel (packages/dev/panel). One switch, chosen once per launch (app.ts).
 */
import type { Transport } from './contract';
import { localTransport } from './local';
import { readLocalSetup } from './local-config';
import { wechatTransport } from './wechat';

export type { PlatformFailure, Transport } from './contract';

/** Kept on the app: it outlives every page, and each launch chooses afresh. */
export type AppWithTransport = { transport?: Transport };

/**
 * Picks the transport for this launch (from App.onLaunch, with the app as `this`: getApp() is not there yet):
 * the local emulator when a development build has config.local.json.
 */
export function initTransport(app: AppWithTransport, cloud: { env: string | undefined; traceUser: boolean }): Transport {
  const local = readLocalSetup();
  if (!local) wx.cloud.init({ env: cloud.env, traceUser: cloud.traceUser });
  app.transport = local ? localTransport(local) : wechatTransport;
  return app.transport;
}

/** The transport app.ts chose at launch. */
export function transport(): Transport {
  const chosen = getApp<AppWithTransport>().transport;
  if (!chosen) throw new Error('transport() before App.onLaunch: call initTransport first');
  return chosen;
}
