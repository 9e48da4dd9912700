/**
 * The console's one way to the cloud: the real @cloudbase/js-sdk (only its app, auth, functions and storage
 * parts), pointed by `config.json` beside the page at the CloudBase environment, or at the local emulator
 * (`host`), so the console runs one code path in both.
 */
import type fullSdk from '@cloudbase/js-sdk';
import modularApp from '@cloudbase/js-sdk/app';
import { registerAuth } from '@cloudbase/js-sdk/auth';
import { registerFunctions } from '@cloudbase/js-sdk/functions';
import { registerStorage } from '@cloudbase/js-sdk/storage';
import type { Reply } from '@domain/contracts/result';
import type { SiteConfig } from '../../../emulator/src/hosting';

// The same app the full SDK exports, with only the parts the console uses registered (a smaller bundle); the
// full SDK's typings describe it.
const cloudbase = modularApp as unknown as typeof fullSdk;
registerAuth(modularApp);
registerFunctions(modularApp);
registerStorage(modularApp);

export type CloudApp = ReturnType<typeof cloudbase.init>;

let app: CloudApp | undefined;

/** Reads `config.json` and starts the SDK; the console waits for it before it shows anything. */
export async function connect(): Promise<CloudApp> {
  if (app) return app;
  const response = await fetch('config.json', { cache: 'no-store' });
  if (!response.ok) throw new Error(`读取 config.json 失败（${response.status}）：请检查静态托管里的环境配置`);
  const config = (await response.json()) as SiteConfig;
  app = cloudbase.init({ env: config.envId });
  if (config.host) app.registerHost(config.host, config.protocol ?? 'https');
  return app;
}

export function cloud(): CloudApp {
  if (!app) throw new Error('connect() first');
  return app;
}

/** What `callFunction` resolves with: `result` is the function's reply, unless the body carried a `code`. */
type CallResponse<T> = { result?: Reply<T>; ok?: boolean; code?: string; message?: string };

/** The gateway's own refusals of a signed-out or expired session. */
const SESSION_CODES = ['INVALID_ACCESS_TOKEN', 'ACCESS_TOKEN_EXPIRED', 'UNAUTHENTICATED'];

/**
 * Calls an admin function. A network failure or an error of the platform is a reply like any other. The
 * SDK takes any answer with a `code` for the gateway's error envelope and hands it back as it came, without
 * `result`: so are the functions' failed replies (`{ok: false, code, message}`) answered.
 */
export async function call<T>(name: string, data: object = {}): Promise<Reply<T>> {
  try {
    const response = (await cloud().callFunction({ name, data })) as CallResponse<T>;
    if (response.result !== undefined) return response.result;
    if (response.ok === false) return { ok: false, code: response.code, message: response.message } as Reply<T>;
    if (SESSION_CODES.includes(response.code ?? '')) return { ok: false, code: 'UNAUTHENTICATED', message: '登录已过期，请重新登录' };
    return { ok: false, code: 'INTERNAL', message: `服务暂时不可用，请稍后再试（${response.code ?? '无应答'}）` };
  } catch (e) {
    const message = (e as { message?: string }).message ?? String(e);
    if (SESSION_CODES.some((code) => message.includes(code))) return { ok: false, code: 'UNAUTHENTICATED', message: '登录已过期，请重新登录' };
    return { ok: false, code: 'INTERNAL', message: `网络异常，请稍后再试（${message}）` };
  }
}
