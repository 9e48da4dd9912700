import type { IncomingMessage, ServerResponse } from 'node:http';

/** How the web SDK's wire surface answers: OAuth errors, gateway errors, JSON, CORS. */

/** Auth API errors, in the OAuth shape the SDK's oauth2client reads (`error`, `error_description`). */
export function sendAuthError(res: ServerResponse, cors: Record<string, string>, status: number, error: string, description: string) {
  sendJson(res, status, { error, error_description: description }, cors);
}

/** Gateway errors, as CloudBase's HTTP API answers them (`code`, `message`, `requestId`). */
export function sendGatewayError(res: ServerResponse, cors: Record<string, string>, status: number, code: string, message: string, requestId: string) {
  sendJson(res, status, { code, message, requestId }, { ...cors, 'x-request-id': requestId });
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string>) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** Headers the browser needs to let the page read the answer: the page's own origin echoed. */
export function corsHeaders(req: IncomingMessage): Record<string, string> {
  const origin = req.headers.origin;
  return origin
    ? { 'access-control-allow-origin': origin, 'access-control-allow-credentials': 'true', 'access-control-expose-headers': 'x-request-id, x-invocation-id', vary: 'Origin' }
    : { 'access-control-allow-origin': '*' };
}

/** Headers the SDK sends (a preflight that names others gets them allowed too: the emulator serves any local page). */
export const SDK_HEADERS = [
  'authorization', 'content-type', 'x-request-id', 'x-device-id', 'x-sdk-version', 'accept-language', 'x-seqid',
  'x-tcb-region', 'x-tcb-trace', 'x-tcb-source', 'x-client-timestamp',
];

/** The body as the SDK sends it: JSON, with `content-type: text/plain` for the auth API. */
export function jsonBody(body: Buffer): Record<string, unknown> | null {
  if (body.length === 0) return {};
  try {
    const value = JSON.parse(body.toString('utf8')) as unknown;
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

export const bearer = (req: IncomingMessage) => /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];

export type Unauthenticated = 'missing' | 'invalid' | 'expired';

export const unauthenticated = (reason: Unauthenticated) =>
  reason === 'missing'
    ? 'no access token: sign in first (Authorization: Bearer <access_token>)'
    : reason === 'expired'
      ? 'the access token has expired: refresh it'
      : 'the access token is not valid (unknown, or its session was signed out)';

/** A gateway request without a valid access token: 401, and ACCESS_TOKEN_EXPIRED makes the SDK refresh and retry. */
export function refuseGateway(res: ServerResponse, cors: Record<string, string>, reason: Unauthenticated, requestId: string) {
  const code = reason === 'expired' ? 'ACCESS_TOKEN_EXPIRED' : 'INVALID_ACCESS_TOKEN';
  sendGatewayError(res, cors, 401, code, unauthenticated(reason), requestId);
}
