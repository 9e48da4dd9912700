import type { ServerResponse } from 'node:http';
import { CloudBaseError } from '../errors';
import type { EmulatorContext, Route, RouteRequest, Service } from '../service';
import type { WebStorage } from '../storage/service';
import { parseWebAuthConfig } from './config';
import { bearer, corsHeaders, jsonBody, SDK_HEADERS, sendAuthError, refuseGateway, sendGatewayError, sendJson, unauthenticated } from './http';
import { WebSessions } from './sessions';
import { webStorageRoutes } from './storage';

/**
 * The wire surface of CloudBase's web SDK (`@cloudbase/js-sdk` v3) that a web console uses, as the SDK sends
 * it after `app.registerHost('<host:port>', 'http')`: the auth API under `/auth/v1` (username and password
 * sign-in, token refresh, current user, revoke / sign-out) and the HTTP gateway's function calls
 * `POST /v1/functions/{name}` with `Authorization: Bearer <access_token>`. Every route answers CORS, as the
 * cloud does for a web app's origin. Storage calls (`/v1/storages/*`, ./storage.ts) need the same sign-in, so
 * they are answered here too, on storage's model.
 */

/** `storage`: the storage model, when the emulator runs it; the web SDK's `/v1/storages/*` reach it here. */
export function createWebAuthService(ctx: EmulatorContext, storage?: WebStorage): Service {
  const config = parseWebAuthConfig(ctx.config.webAuth);
  // Moved forward by the clock control only: token expiry is tested without waiting.
  let clockAdvanceMs = 0;
  const sessions = new WebSessions(config, () => Date.now() + clockAdvanceMs);

  const route = (method: Route['method'], path: RegExp, handle: (r: RouteRequest, res: ServerResponse, cors: Record<string, string>) => void | Promise<void>): Route => ({
    method,
    path,
    handle: async (request, res) => handle(request, res, corsHeaders(request.req)),
  });

  /** `POST /v1/functions/{name}`: the function runs with the web user's identity in its context. */
  async function callFunction({ req, match, body }: RouteRequest, res: ServerResponse, cors: Record<string, string>) {
    const requestId = typeof req.headers['x-request-id'] === 'string' ? req.headers['x-request-id'] : '';
    const check = sessions.check(bearer(req));
    if (!check.ok) return refuseGateway(res, cors, check.reason, requestId);
    const event = jsonBody(body);
    if (!event) return sendGatewayError(res, cors, 400, 'FUNCTION_PARAM_INVALID', 'the request body must be a JSON object', requestId);
    const name = decodeURIComponent(match[1]!);
    let invocation;
    try {
      invocation = ctx.runtime.invoke(name, event, { uid: check.user.uid, loginType: 'USERNAME' });
    } catch (e) {
      if (!(e instanceof CloudBaseError)) throw e;
      const missing = e.code === 'FUNCTIONS_EXECUTE_FAIL';
      return sendGatewayError(res, cors, missing ? 404 : 400, missing ? 'FUNCTION_NOT_FOUND' : 'FUNCTION_PARAM_INVALID', e.message, requestId);
    }
    const { record, done } = invocation;
    const id = requestId || record.id;
    await done.then(
      // The body is the function's return value as JSON, which the SDK hands back as `result`.
      (responseData) =>
        sendJson(res, 200, JSON.parse(responseData), {
          ...cors,
          'x-request-id': id,
          'x-invocation-id': record.id,
          'x-db-requests': String(record.dbRequests),
          'x-cold-start': String(record.coldStart),
        }),
      (e: Error) => {
        const timedOut = record.status === 'timeout';
        sendGatewayError(res, { ...cors, 'x-invocation-id': record.id }, 500, timedOut ? 'FUNCTION_TIME_LIMIT_EXCEEDED' : 'FUNCTION_INVOCATION_FAILED', e.message, id);
      },
    );
  }

  const routes: Route[] = [
    // Preflight: a page on another origin (the console's dev server) asks before sending the Authorization header.
    route('OPTIONS', /^\/(?:auth\/v1\/.+|v1\/(?:functions|storages)\/[^/]+)$/, ({ req }, res, cors) => {
      const asked = req.headers['access-control-request-headers'];
      res.writeHead(204, {
        ...cors,
        'access-control-allow-methods': 'GET, POST, PUT, PATCH, DELETE, OPTIONS',
        'access-control-allow-headers': typeof asked === 'string' && asked ? asked : SDK_HEADERS.join(', '),
        'access-control-max-age': '600',
      });
      res.end();
    }),
    // auth.signInWithPassword({username, password}) (v1: plain body; `is_encrypt` / v2 is not supported).
    route('POST', /^\/auth\/v1\/signin$/, ({ body }, res, cors) => {
      const params = jsonBody(body);
      const username = params?.username;
      const password = params?.password;
      if (typeof username !== 'string' || typeof password !== 'string' || !username || !password) {
        return sendAuthError(res, cors, 400, 'invalid_argument', 'username and password are required');
      }
      const outcome = sessions.signIn(username, password);
      if (outcome.ok) return sendJson(res, 200, outcome.tokens, cors);
      if (outcome.reason === 'unknown-user') {
        return sendAuthError(res, cors, 400, 'not_found', `user "${username}" is not declared in webAuth.users of cloud.config.json`);
      }
      sendAuthError(res, cors, 400, 'invalid_password', `wrong password for user "${username}"`);
    }),
    // The SDK's refresh (on expiry, or auth.refreshSession()): grant_type refresh_token.
    route('POST', /^\/auth\/v1\/token$/, ({ body }, res, cors) => {
      const params = jsonBody(body);
      if (params?.grant_type !== 'refresh_token' || typeof params.refresh_token !== 'string') {
        return sendAuthError(res, cors, 400, 'unsupported_grant_type', 'the emulator grants refresh_token only');
      }
      const tokens = sessions.refresh(params.refresh_token);
      if (!tokens) return sendAuthError(res, cors, 400, 'invalid_grant', 'the refresh token is not valid (unknown, used already, expired or signed out)');
      sendJson(res, 200, tokens, cors);
    }),
    route('GET', /^\/auth\/v1\/user\/me$/, ({ req }, res, cors) => {
      const check = sessions.check(bearer(req));
      if (!check.ok) return sendAuthError(res, cors, 401, 'unauthenticated', unauthenticated(check.reason));
      const { uid, username, name } = check.user;
      sendJson(res, 200, { sub: uid, name: name ?? username, username, picture: '', email: '', phone_number: '', groups: [], status: 'ACTIVE', has_password: true }, cors);
    }),
    // auth.signOut(): revokes the access token; auth.signOut(params) posts to /user/signout with the bearer.
    route('POST', /^\/auth\/v1\/revoke$/, ({ body }, res, cors) => {
      const token = jsonBody(body)?.token;
      if (typeof token === 'string') sessions.revoke(token);
      // OAuth 2 revocation (RFC 7009) answers success for an unknown token too.
      sendJson(res, 200, {}, cors);
    }),
    route('POST', /^\/auth\/v1\/user\/signout$/, ({ req }, res, cors) => {
      const token = bearer(req);
      if (!token || !sessions.revoke(token)) return sendAuthError(res, cors, 401, 'unauthenticated', unauthenticated(token ? 'invalid' : 'missing'));
      sendJson(res, 200, {}, cors);
    }),
    route('POST', /^\/v1\/functions\/([^/]+)$/, callFunction),
    ...(storage ? webStorageRoutes(sessions, storage).map(({ method, path, handle }) => route(method, path, handle)) : []),
    // Control: the declared accounts (without passwords) and how many are signed in.
    route('GET', /^\/__emulator\/auth$/, (_r, res) => {
      sendJson(res, 200, { users: sessions.users().map(({ username, uid, name }) => ({ username, uid, name })), sessions: sessions.sessionCount() }, {});
    }),
    // Control: moves the token clock forward (every session's), so expiry is tested without waiting.
    route('POST', /^\/__emulator\/auth\/clock$/, ({ body }, res) => {
      const advanceMs = jsonBody(body)?.advanceMs;
      if (typeof advanceMs !== 'number' || !Number.isFinite(advanceMs) || advanceMs < 0) {
        return sendJson(res, 400, { error: 'advanceMs must be a number >= 0' }, {});
      }
      clockAdvanceMs += advanceMs;
      sendJson(res, 200, { advancedMs: clockAdvanceMs }, {});
    }),
  ];

  return { routes };
}
