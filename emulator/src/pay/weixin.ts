import { randomBytes } from 'node:crypto';
import { sessionKeyFor } from './virtual';

/** WeChat's answer to a server API call: `{errcode, errmsg}` on failure. */
export type WxAnswer = Record<string, unknown>;

const wxError = (errcode: number, errmsg: string): WxAnswer => ({ errcode, errmsg: `${errmsg} rid: ${randomBytes(4).toString('hex')}` });

/** A `wx.login` code is valid this long, once. */
const CODE_TTL_MS = 5 * 60_000;
const TOKEN_TTL_S = 7200;

/**
 * The parts of WeChat's login and server API that virtual payment needs: `wx.login` codes for a learner
 * (`POST /gateway/login`, the harness's `wx.login`), `sns/jscode2session` (the learner's openid and
 * session_key for a code, with the AppID and the sandbox AppSecret) and `cgi-bin/stable_token` (the
 * access_token the xpay APIs check). Codes and tokens live in memory: a restart forgets them, as codes
 * expire within minutes and a function asks for a token again when one is refused.
 */
export class WeixinAccounts {
  private readonly codes = new Map<string, { openid: string; expiresAt: number; used: boolean }>();
  private token?: { value: string; expiresAt: number };

  constructor(
    private readonly appId: string,
    private readonly appSecret: string,
  ) {}

  /** `wx.login`: a fresh code for the learner. */
  login(openid: string) {
    const code = randomBytes(16).toString('hex');
    this.codes.set(code, { openid, expiresAt: Date.now() + CODE_TTL_MS, used: false });
    return { errMsg: 'login:ok', code };
  }

  private credentialsError(appid: unknown, secret: unknown): WxAnswer | undefined {
    if (appid !== this.appId) return wxError(40013, 'invalid appid');
    if (secret !== this.appSecret) return wxError(40125, 'invalid appsecret');
    return undefined;
  }

  /** `GET /sns/jscode2session?appid&secret&js_code&grant_type=authorization_code` */
  code2Session(query: URLSearchParams): WxAnswer {
    const refused = this.credentialsError(query.get('appid'), query.get('secret'));
    if (refused) return refused;
    if (query.get('grant_type') !== 'authorization_code') return wxError(40002, 'invalid grant_type');
    const code = this.codes.get(query.get('js_code') ?? '');
    if (!code || code.expiresAt < Date.now()) return wxError(40029, 'invalid code');
    if (code.used) return wxError(40163, 'code been used');
    code.used = true;
    return { openid: code.openid, session_key: sessionKeyFor(this.appId, code.openid) };
  }

  /** `POST /cgi-bin/stable_token {grant_type, appid, secret, force_refresh}`: the same token until it expires, unless forced. */
  stableToken(body: Record<string, unknown>): WxAnswer {
    if (body.grant_type !== 'client_credential') return wxError(40002, 'invalid grant_type');
    const refused = this.credentialsError(body.appid, body.secret);
    if (refused) return refused;
    const now = Date.now();
    if (!this.token || this.token.expiresAt <= now || body.force_refresh === true) {
      this.token = { value: randomBytes(24).toString('base64url'), expiresAt: now + TOKEN_TTL_S * 1000 };
    }
    return { access_token: this.token.value, expires_in: Math.floor((this.token.expiresAt - now) / 1000) };
  }

  /** Why WeChat refuses a server API call's `access_token`, if it does. */
  tokenError(accessToken: string | null): WxAnswer | undefined {
    if (!accessToken) return wxError(41001, 'access_token missing');
    if (accessToken !== this.token?.value || this.token.expiresAt <= Date.now()) return wxError(40001, 'invalid credential, access_token is invalid or not latest');
    return undefined;
  }
}
