import type { ServerResponse } from 'node:http';
import type { RouteRequest } from '../service';
import type { WebStorage } from '../storage/service';
import { bearer, refuseGateway, sendGatewayError, sendJson } from './http';
import type { WebSessions } from './sessions';

/**
 * The web SDK's storage, as `@cloudbase/js-sdk` v3 sends it in GATEWAY mode: CloudBase's HTTP API
 * `POST /v1/storages/{get-objects-upload-info, get-objects-download-info, delete-objects}` with
 * `Authorization: Bearer <access_token>`, a JSON array in and a JSON array out (one item per object, failed
 * items carrying `code` and `message`). `uploadFile` then PUTs (or POSTs a form) the bytes to the item's
 * `uploadUrl`, which storage serves (`../storage/service.ts`).
 */

/** CloudBase's HTTP API handles at most 50 objects a call (OBJECT_BATCH_TOO_LARGE beyond). */
const MAX_OBJECTS_PER_CALL = 50;

type Handler = (request: RouteRequest, res: ServerResponse, cors: Record<string, string>) => Promise<void>;

export function webStorageRoutes(sessions: WebSessions, storage: WebStorage): { method: 'POST'; path: RegExp; handle: Handler }[] {
  /** The signed-in web user, then one answer per item of the array body. */
  const batch =
    (answer: (item: Record<string, unknown>, uid: string) => Record<string, unknown>): Handler =>
    async ({ req, body }, res, cors) => {
      const given = req.headers['x-request-id'];
      const requestId = typeof given === 'string' && given ? given : `emulator-${Date.now().toString(36)}`;
      const check = sessions.check(bearer(req));
      if (!check.ok) return refuseGateway(res, cors, check.reason, requestId);
      const items = arrayBody(body);
      if (!items) return sendGatewayError(res, cors, 400, 'INVALID_PARAM', 'the body must be a non-empty JSON array of objects', requestId);
      if (items.length > MAX_OBJECTS_PER_CALL) {
        return sendGatewayError(res, cors, 400, 'OBJECT_BATCH_TOO_LARGE', `${items.length} objects; at most ${MAX_OBJECTS_PER_CALL} a call`, requestId);
      }
      sendJson(res, 200, items.map((item) => answer(item, check.user.uid)), { ...cors, 'x-request-id': requestId });
    };

  return [
    // `signedHeader` (content-length, content-type) is what real COS signs; the emulator's signature covers the path.
    { method: 'POST', path: /^\/v1\/storages\/get-objects-upload-info$/, handle: batch((item, uid) => storage.uploadInfo(item.objectId, uid)) },
    { method: 'POST', path: /^\/v1\/storages\/get-objects-download-info$/, handle: batch((item) => storage.downloadInfo(item.cloudObjectId)) },
    { method: 'POST', path: /^\/v1\/storages\/delete-objects$/, handle: batch((item) => storage.remove(item.cloudObjectId)) },
  ];
}

function arrayBody(body: Buffer): Record<string, unknown>[] | null {
  try {
    const value = JSON.parse(body.toString('utf8')) as unknown;
    const ok = Array.isArray(value) && value.length > 0 && value.every((item) => item && typeof item === 'object' && !Array.isArray(item));
    return ok ? (value as Record<string, unknown>[]) : null;
  } catch {
    return null;
  }
}
