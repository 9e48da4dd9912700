/**
 * The WeChat server API (api.weixin.qq.com) for what cloud calls (云调用) do not cover: code2Session and
 * the virtual payment APIs (`xpay/*`) are documented "本接口不支持云调用", so a function calls them over
 * HTTPS with an access_token (and the xpay ones with `pay_sig`).
 *
 * The credentials are the function's environment variables (console: 云函数 > 函数配置 > 环境变量), never
 * files in git: MP_APP_ID, MP_APP_SECRET (the mini program's AppSecret: code2Session, the access_token)
 * and XPAY_APP_KEY (virtual payment's AppKey for the env in use). WECHAT_API_ORIGIN replaces
 * https://api.weixin.qq.com (the emulator points it at itself).
 */
import { createHmac } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

/** WeChat answered `{errcode, errmsg}` with a non-zero errcode. */
export class WeChatApiError extends Error {
  constructor(
    readonly api: string,
    readonly errcode: number,
    errmsg: string,
  ) {
    super(`${api}: ${errcode} ${errmsg}`);
    this.name = 'WeChatApiError';
  }
}

export const hmacSha256 = (key: string, text: string) => createHmac('sha256', key).update(text, 'utf8').digest('hex');

/** A WeChat answer: JSON with `errcode` absent or 0 on success. */
export type WeChatAnswer = Record<string, unknown> & { errcode?: number; errmsg?: string };

export interface WeChatApi {
  /** The learner's openid and session_key for a `wx.login` code (single use, valid 5 minutes). */
  code2Session(jsCode: string): Promise<{ openid: string; sessionKey: string }>;
  /** `hmac_sha256(AppKey, method + '&' + data)`: virtual payment's `paySig` / `pay_sig`. */
  paySig(method: string, data: string): string;
  /** POSTs a virtual payment API (`/xpay/...`) signed with `pay_sig`; answers WeChat's JSON whatever its errcode. */
  xpay(uri: string, body: Record<string, unknown>): Promise<WeChatAnswer>;
}

const REQUEST_TIMEOUT_MS = 3000;
/** Renew the access_token this long before WeChat says it expires. */
const TOKEN_MARGIN_MS = 5 * 60_000;
/** access_token invalid (40001, 40014) or expired (42001): fetch another once and try again. */
const TOKEN_ERRORS = new Set([40001, 40014, 42001]);

function variable(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: add it to this function's environment variables (README, Deploying)`);
  return value;
}

function send(method: 'GET' | 'POST', url: URL, body?: string): Promise<WeChatAnswer> {
  const request = url.protocol === 'http:' ? httpRequest : httpsRequest;
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method, timeout: REQUEST_TIMEOUT_MS, headers: body === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          try {
            resolve(JSON.parse(text) as WeChatAnswer);
          } catch {
            reject(new Error(`${url.pathname}: HTTP ${res.statusCode ?? '?'} answered no JSON: ${text.slice(0, 200)}`));
          }
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${url.pathname}: no answer within ${REQUEST_TIMEOUT_MS} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}

/** One access_token per instance, shared by its invocations (`stable_token` gives every instance the same one). */
let token: { appId: string; value: Promise<string>; expiresAt: number } | undefined;

export function wechatApi(): WeChatApi {
  const origin = () => process.env.WECHAT_API_ORIGIN || 'https://api.weixin.qq.com';
  const urlOf = (path: string, query: Record<string, string> = {}) => {
    const url = new URL(path, origin());
    for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
    return url;
  };

  async function fetchToken(appId: string) {
    // The stable token does not invalidate the one other instances hold, unlike cgi-bin/token.
    const body = JSON.stringify({ grant_type: 'client_credential', appid: appId, secret: variable('MP_APP_SECRET'), force_refresh: false });
    const answer = await send('POST', urlOf('/cgi-bin/stable_token'), body);
    if (typeof answer.access_token !== 'string') throw new WeChatApiError('stable_token', answer.errcode ?? -1, answer.errmsg ?? 'no access_token');
    return { value: answer.access_token, expiresInMs: Number(answer.expires_in ?? 0) * 1000 };
  }

  function accessToken(): Promise<string> {
    const appId = variable('MP_APP_ID');
    if (token?.appId === appId && Date.now() < token.expiresAt) return token.value;
    const fetched = fetchToken(appId);
    const entry = { appId, value: fetched.then((t) => t.value), expiresAt: Number.POSITIVE_INFINITY };
    token = entry;
    fetched.then(
      (t) => (entry.expiresAt = Date.now() + t.expiresInMs - TOKEN_MARGIN_MS),
      () => {
        if (token === entry) token = undefined;
      },
    );
    return entry.value;
  }

  const paySig = (method: string, data: string) => hmacSha256(variable('XPAY_APP_KEY'), `${method}&${data}`);

  return {
    async code2Session(jsCode) {
      const answer = await send(
        'GET',
        urlOf('/sns/jscode2session', { appid: variable('MP_APP_ID'), secret: variable('MP_APP_SECRET'), js_code: jsCode, grant_type: 'authorization_code' }),
      );
      if (answer.errcode || typeof answer.openid !== 'string' || typeof answer.session_key !== 'string') {
        throw new WeChatApiError('jscode2session', answer.errcode ?? -1, answer.errmsg ?? 'no session_key');
      }
      return { openid: answer.openid, sessionKey: answer.session_key };
    },
    paySig,
    async xpay(uri, body) {
      const text = JSON.stringify(body);
      const post = async () => send('POST', urlOf(uri, { access_token: await accessToken(), pay_sig: paySig(uri, text) }), text);
      const answer = await post();
      if (!answer.errcode || !TOKEN_ERRORS.has(answer.errcode)) return answer;
      token = undefined;
      return post();
    },
  };
}
