import { createReadStream } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { join } from 'node:path';
import * as z from 'zod/mini';
import { invalidParam } from '../errors';
import type { AdminCall, EmulatorContext, RouteRequest, Service } from '../service';
import { FileStore, type StoredFile } from './files';
import { contentTypeOf, cosCorsHeaders, parseForm, parseRange, sendCosError } from './http';
import { bucketOf, cloudPathProblem, fileIdOf, pathOfFileId } from './ids';
import { compileRule, type Rule, type RuleContext } from './rules';
import { Signer, type UploadCredentials } from './signing';

/**
 * `cloud.config.json` "storage": the security rules client requests (the mini program's
 * `wx.cloud.uploadFile`...) are held to; functions and scripts (the admin API) bypass them, as in CloudBase.
 */
const ruleSchema = z.union([z.boolean(), z.string()]);
const configSchema = z.object({ rules: z.optional(z.object({ read: ruleSchema, write: ruleSchema })) });

/** CloudBase's default permission: everyone reads, only the creator writes. */
const DEFAULT_RULES = { read: true, write: 'resource.openid == auth.openid' };

/** Temp URLs last a day unless asked for less, and never longer (CloudBase's documented default and cap). */
const DEFAULT_MAX_AGE_S = 86_400;
const MAX_MAX_AGE_S = 86_400;
/** CloudBase handles at most 50 files per getTempFileURL / deleteFile call. */
const MAX_FILES_PER_CALL = 50;
/** How long the credentials of `getUploadMetadata` let the SDK PUT the bytes. */
const UPLOAD_TTL_S = 600;

type EntryCode = 'SUCCESS' | 'STORAGE_FILE_NONEXIST' | 'STORAGE_EXCEED_AUTHORITY' | 'INVALID_PARAM';

/** What the mini program's `wx.cloud.*` reports per file: wx-server-sdk's numbers and texts for each code. */
const CLIENT_STATUS: Record<EntryCode, { status: number; errMsg: string }> = {
  SUCCESS: { status: 0, errMsg: 'ok' },
  STORAGE_FILE_NONEXIST: { status: -503003, errMsg: 'storage file not exists' },
  STORAGE_EXCEED_AUTHORITY: { status: -503002, errMsg: 'storage permission denied' },
  INVALID_PARAM: { status: -501007, errMsg: 'invalid parameters' },
};

/** One file of an admin batch answer, as CloudBase gives it: a code per file, and why when it failed. */
const entry = (fileID: unknown, code: EntryCode) => ({ fileID, code, ...(code === 'SUCCESS' ? {} : { message: CLIENT_STATUS[code].errMsg }) });

/**
 * Storage as a signed-in web user (staff, from the creator console's `@cloudbase/js-sdk`) uses it, one object
 * of an HTTP API batch (`/v1/storages/*`) at a time, in that API's item shapes. Staff upload course media
 * anywhere in the bucket, so the security rules (written for learners) do not apply to them.
 */
export interface WebStorage {
  /** `get-objects-upload-info`: where and with what credentials to upload `objectId` (the cloud path) */
  uploadInfo(objectId: unknown, uid: string): Record<string, unknown>;
  /** `get-objects-download-info`: a temp URL of the file */
  downloadInfo(cloudObjectId: unknown): Record<string, unknown>;
  /** `delete-objects` */
  remove(cloudObjectId: unknown): Record<string, unknown>;
}

/** The HTTP API's per-object codes for what the admin API calls STORAGE_FILE_NONEXIST / INVALID_PARAM. */
const WEB_CODES: Partial<Record<EntryCode, { code: string; message: string }>> = {
  STORAGE_FILE_NONEXIST: { code: 'OBJECT_NOT_EXIST', message: 'The object does not exist.' },
  INVALID_PARAM: { code: 'INVALID_PARAM', message: 'cloudObjectId must be a file ID of this environment.' },
};

interface Lookup {
  code: EntryCode;
  file?: StoredFile;
}

export function createStorageService(ctx: EmulatorContext): Service & { web: WebStorage } {
  const parsed = configSchema.safeParse(ctx.config.storage ?? {});
  if (!parsed.success) throw new Error(`cloud.config.json storage is invalid: ${parsed.error.message}`);
  const ruleSources = parsed.data.rules ?? DEFAULT_RULES;
  const rules: Record<'read' | 'write', Rule> = {
    read: compileRule('read', ruleSources.read),
    write: compileRule('write', ruleSources.write),
  };
  const root = join(ctx.dataDir, 'storage');
  const files = FileStore.open(root);
  // Moved forward by the clock control only: expiring URLs are tested without waiting for them.
  let clockAdvanceMs = 0;
  const now = () => Date.now() + clockAdvanceMs;
  const signer = Signer.open(root, now);
  const bucket = bucketOf(ctx.envId);

  const encodePath = (path: string) => path.split('/').map(encodeURIComponent).join('/');
  /** Like CloudBase, the path stays unencoded in a temp URL: the SDK and players apply `encodeURI`. */
  const tempUrl = (path: string, maxAge: number, encoded = false) =>
    `${ctx.url}/storage/${bucket}/${encoded ? encodePath(path) : path}?${signer.downloadQuery(path, now() + maxAge * 1000)}`;

  function lookup(fileId: unknown): Lookup {
    if (typeof fileId !== 'string') return { code: 'INVALID_PARAM' };
    const path = pathOfFileId(ctx.envId, fileId);
    const file = path === null ? undefined : files.get(path);
    return file ? { code: 'SUCCESS', file } : { code: 'STORAGE_FILE_NONEXIST' };
  }

  const allows = (rule: 'read' | 'write', openid: string, resource: RuleContext['resource']) =>
    rules[rule]({ auth: { openid, loginType: 'WECHAT' }, resource, now: now() });

  const maxAgeOf = (value: unknown) =>
    typeof value === 'number' && Number.isFinite(value) && value >= 1 ? Math.min(Math.floor(value), MAX_MAX_AGE_S) : DEFAULT_MAX_AGE_S;

  function fileList(value: unknown, name: string): unknown[] {
    if (!Array.isArray(value) || value.length === 0) throw invalidParam(`${name} must be a non-empty array`);
    if (value.length > MAX_FILES_PER_CALL) throw invalidParam(`${name} holds ${value.length} files; at most ${MAX_FILES_PER_CALL} a call`);
    return value;
  }

  /** One temp URL, for a function (no openid: no rules) or a learner (the read rule decides). */
  function download(fileId: unknown, maxAgeParam: unknown, openid?: string) {
    const found = lookup(fileId);
    const maxAge = maxAgeOf(maxAgeParam);
    let code = found.code;
    if (found.file && openid !== undefined && !allows('read', openid, { openid: found.file.owner, path: found.file.path })) {
      code = 'STORAGE_EXCEED_AUTHORITY';
    }
    return { ...entry(fileId, code), maxAge, tempFileURL: code === 'SUCCESS' ? tempUrl(found.file!.path, maxAge) : '' };
  }

  function remove(fileId: unknown, openid?: string): EntryCode {
    const found = lookup(fileId);
    if (!found.file) return found.code;
    if (openid !== undefined && !allows('write', openid, { openid: found.file.owner, path: found.file.path })) {
      return 'STORAGE_EXCEED_AUTHORITY';
    }
    files.remove(found.file.path);
    return 'SUCCESS';
  }

  function bucketPath(request: RouteRequest): string | null {
    if (request.match[1] !== bucket) return null;
    try {
      return decodeURIComponent(request.match[2]!);
    } catch {
      return null;
    }
  }

  /** GET / HEAD of a temp URL: signature, then expiry, then the file; Range as players send it. */
  async function serve(request: RouteRequest, res: ServerResponse) {
    const { req, url } = request;
    const cors = cosCorsHeaders(req);
    const path = bucketPath(request);
    if (path === null) return sendCosError(res, 404, 'NoSuchKey', 'The specified key does not exist.', url.pathname, cors);
    const verdict = signer.verifyDownload(path, url.searchParams.get('sign'), url.searchParams.get('t'));
    if (verdict === 'tampered') return sendCosError(res, 403, 'AccessDenied', 'The signature of this URL does not match.', path, cors);
    if (verdict === 'expired') return sendCosError(res, 403, 'AccessDenied', 'This temporary URL has expired.', path, cors);
    const file = files.get(path);
    if (!file) return sendCosError(res, 404, 'NoSuchKey', 'The specified key does not exist.', path, cors);
    const range = parseRange(req.headers.range, file.size);
    if (range === 'unsatisfiable') {
      return sendCosError(res, 416, 'InvalidRange', 'The requested range is not satisfiable.', path, { ...cors, 'content-range': `bytes */${file.size}` });
    }
    const { start, end } = range ?? { start: 0, end: file.size - 1 };
    res.writeHead(range ? 206 : 200, {
      ...cors,
      'content-type': file.contentType,
      'content-length': Math.max(0, end - start + 1),
      'accept-ranges': 'bytes',
      etag: `"${file.blob}"`,
      'last-modified': new Date(file.uploadedAt).toUTCString(),
      ...(range ? { 'content-range': `bytes ${start}-${end}/${file.size}` } : {}),
    });
    if (req.method === 'HEAD' || file.size === 0) return void res.end();
    await new Promise<void>((done) => {
      const stream = createReadStream(files.blobPath(file), { start, end });
      // Deleted while being read: cut the response short rather than pretend it completed.
      stream.on('error', () => res.destroy());
      res.on('close', () => {
        stream.destroy();
        done();
      });
      stream.pipe(res);
    });
  }

  /** Stores an upload made with issued credentials; false when it was refused (and answered) instead. */
  async function accept(res: ServerResponse, path: string, bytes: Buffer, credentials: Partial<UploadCredentials>, cors: Record<string, string>) {
    const verdict = signer.verifyUpload(path, credentials);
    if (verdict !== 'ok') {
      if (verdict === 'tampered') sendCosError(res, 403, 'SignatureDoesNotMatch', 'The upload signature does not match.', path, cors);
      else sendCosError(res, 403, 'AccessDenied', 'The upload credentials have expired.', path, cors);
      return false;
    }
    // The token names the web user it was issued to: the file is recorded as theirs (never as a learner's).
    await files.put(path, bytes, contentTypeOf(path), null, Signer.uploaderOf(credentials.token!) ?? undefined);
    return true;
  }

  /** The PUT the SDKs make with what `getUploadMetadata` / `get-objects-upload-info` issued. */
  async function receive(request: RouteRequest, res: ServerResponse) {
    const { req, body } = request;
    const cors = cosCorsHeaders(req);
    const path = bucketPath(request);
    if (path === null || cloudPathProblem(path)) return sendCosError(res, 400, 'InvalidURI', 'This is not a valid object key.', request.url.pathname, cors);
    const header = (name: string) => (typeof req.headers[name] === 'string' ? (req.headers[name] as string) : undefined);
    const credentials = { token: header('x-cos-security-token'), authorization: header('authorization'), cosFileId: header('x-cos-meta-fileid') };
    if (!(await accept(res, path, body, credentials, cors))) return;
    res.writeHead(200, { ...cors, 'content-length': 0 });
    res.end();
  }

  /**
   * COS's POST Object, which `uploadFile({method: 'post'})` sends to the same URL: a multipart form with
   * `key`, `signature`, `x-cos-security-token`, `x-cos-meta-fileid`, `success_action_status` and `file`.
   */
  async function receiveForm(request: RouteRequest, res: ServerResponse) {
    const cors = cosCorsHeaders(request.req);
    const form = await parseForm(request.req, request.body);
    const key = form?.fields.key ?? '';
    if (!form || !form.file) return sendCosError(res, 400, 'InvalidArgument', 'The body must be a multipart form with a file.', request.url.pathname, cors);
    if (request.match[1] !== bucket || cloudPathProblem(key)) return sendCosError(res, 400, 'InvalidURI', 'This is not a valid object key.', key, cors);
    const credentials = { token: form.fields['x-cos-security-token'], authorization: form.fields.signature, cosFileId: form.fields['x-cos-meta-fileid'] };
    if (!(await accept(res, key, form.file, credentials, cors))) return;
    if (form.fields.success_action_status !== '201') return void res.writeHead(204, cors).end();
    const xml = Buffer.from(
      `<?xml version="1.0" encoding="UTF-8"?>\n<PostResponse><Location>${ctx.url}/storage/${bucket}/${encodePath(key)}</Location>` +
        `<Bucket>${bucket}</Bucket><Key>${encodePath(key)}</Key><ETag>"${files.get(key)!.blob}"</ETag></PostResponse>`,
    );
    res.writeHead(201, { ...cors, 'content-type': 'application/xml', 'content-length': xml.length });
    res.end(xml);
  }

  /** Preflight of a page on another origin uploading or fetching bytes (the bucket's CORS rule: any local page). */
  async function preflight({ req }: RouteRequest, res: ServerResponse) {
    const asked = req.headers['access-control-request-headers'];
    res.writeHead(204, {
      ...cosCorsHeaders(req),
      'access-control-allow-methods': 'GET, HEAD, PUT, POST, OPTIONS',
      'access-control-allow-headers': typeof asked === 'string' && asked ? asked : '*',
      'access-control-max-age': '600',
    });
    res.end();
  }

  // ---- the web SDK's storage, for a signed-in web user (the wire is in ../auth, with the sign-in it needs)

  const web: WebStorage = {
    uploadInfo(objectId, uid) {
      const path = typeof objectId === 'string' ? objectId : '';
      const problem = cloudPathProblem(path);
      if (problem) return { objectId, code: 'INVALID_PARAM', message: problem };
      const { token, authorization, cosFileId } = signer.uploadCredentials(path, now() + UPLOAD_TTL_S * 1000, uid);
      return {
        objectId: path,
        uploadUrl: `${ctx.url}/storage/${bucket}/${encodePath(path)}`,
        authorization,
        token,
        cloudObjectMeta: cosFileId,
        downloadUrl: tempUrl(path, DEFAULT_MAX_AGE_S),
        downloadUrlEncoded: tempUrl(path, DEFAULT_MAX_AGE_S, true),
        cloudObjectId: fileIdOf(ctx.envId, path),
      };
    },
    downloadInfo(cloudObjectId) {
      const found = lookup(cloudObjectId);
      if (!found.file) return { cloudObjectId, ...WEB_CODES[found.code] };
      const { path } = found.file;
      return { cloudObjectId, downloadUrl: tempUrl(path, DEFAULT_MAX_AGE_S), downloadUrlEncoded: tempUrl(path, DEFAULT_MAX_AGE_S, true) };
    },
    remove(cloudObjectId) {
      const code = remove(cloudObjectId);
      return code === 'SUCCESS' ? { cloudObjectId } : { cloudObjectId, ...WEB_CODES[code] };
    },
  };

  // ---- the client gateway: what the mini program's wx.cloud.* storage calls do for a learner

  function gatewayFailure(res: ServerResponse, api: string, code: EntryCode, detail: string) {
    const { status, errMsg } = CLIENT_STATUS[code];
    sendJson(res, { errCode: status, errMsg: `cloud.${api}:fail ${status} ${errMsg}. ${detail}` });
  }

  async function clientUpload({ url, body }: RouteRequest, res: ServerResponse) {
    const openid = requiredOpenid(url.searchParams.get('openid'));
    const path = url.searchParams.get('cloudPath') ?? '';
    const problem = cloudPathProblem(path);
    if (problem) return gatewayFailure(res, 'uploadFile', 'INVALID_PARAM', problem);
    const existing = files.get(path);
    if (!allows('write', openid, { openid: existing ? existing.owner : openid, path })) {
      const whose = existing && existing.owner !== openid ? ' (a file another user created)' : '';
      return gatewayFailure(res, 'uploadFile', 'STORAGE_EXCEED_AUTHORITY', `the storage write rule does not let ${openid} write ${path}${whose}`);
    }
    await files.put(path, body, contentTypeOf(path), openid);
    sendJson(res, { fileID: fileIdOf(ctx.envId, path) });
  }

  async function clientTempUrls({ body }: RouteRequest, res: ServerResponse) {
    const params = jsonBody(body);
    const openid = requiredOpenid(params.openid);
    const list = fileList(params.fileList, 'fileList').map((item) => {
      const { fileID, maxAge } = typeof item === 'string' ? { fileID: item, maxAge: undefined } : ((item ?? {}) as { fileID?: unknown; maxAge?: unknown });
      const result = download(fileID, maxAge, openid);
      return { fileID, tempFileURL: result.tempFileURL, maxAge: result.maxAge, ...CLIENT_STATUS[result.code] };
    });
    sendJson(res, { fileList: list });
  }

  async function clientDelete({ body }: RouteRequest, res: ServerResponse) {
    const params = jsonBody(body);
    const openid = requiredOpenid(params.openid);
    sendJson(res, { fileList: fileList(params.fileList, 'fileList').map((fileID) => ({ fileID, ...CLIENT_STATUS[remove(fileID, openid)] })) });
  }

  const pathPattern = /^\/storage\/([^/]+)\/(.+)$/;

  return {
    web,
    actions: {
      'storage.getUploadMetadata': async ({ params }: AdminCall) => {
        const path = typeof params.path === 'string' ? params.path : '';
        const problem = cloudPathProblem(path);
        if (problem) throw invalidParam(problem);
        const credentials = signer.uploadCredentials(path, now() + UPLOAD_TTL_S * 1000);
        return { data: { url: `${ctx.url}/storage/${bucket}/${encodePath(path)}`, fileId: fileIdOf(ctx.envId, path), ...credentials } };
      },
      'storage.batchGetDownloadUrl': async ({ params }: AdminCall) => ({
        data: {
          download_list: fileList(params.file_list, 'file_list').map((item) => {
            const { fileid, max_age } = (item ?? {}) as { fileid?: unknown; max_age?: unknown };
            return download(fileid, max_age);
          }),
        },
      }),
      'storage.batchDeleteFile': async ({ params }: AdminCall) => ({
        data: { delete_list: fileList(params.fileid_list, 'fileid_list').map((fileID) => entry(fileID, remove(fileID))) },
      }),
    },
    routes: [
      { method: 'GET', path: pathPattern, handle: serve },
      { method: 'HEAD', path: pathPattern, handle: serve },
      { method: 'PUT', path: pathPattern, handle: receive },
      { method: 'POST', path: /^\/storage\/([^/]+)\/(.*)$/, handle: receiveForm },
      { method: 'OPTIONS', path: /^\/storage\/([^/]+)\/(.*)$/, handle: preflight },
      { method: 'POST', path: /^\/gateway\/storage\/uploadFile$/, handle: clientUpload },
      { method: 'POST', path: /^\/gateway\/storage\/getTempFileURL$/, handle: clientTempUrls },
      { method: 'POST', path: /^\/gateway\/storage\/deleteFile$/, handle: clientDelete },
      {
        method: 'POST',
        path: /^\/__emulator\/storage\/clock$/,
        handle: async ({ body }, res) => {
          const parsed = clockSchema.safeParse(parseBody(body));
          if (!parsed.success) return sendJson(res, { error: `body must be {"advanceMs": <non-negative integer>}: ${z.prettifyError(parsed.error)}` }, 400);
          clockAdvanceMs += parsed.data.advanceMs;
          sendJson(res, { advancedMs: clockAdvanceMs, now: new Date(now()).toISOString() });
        },
      },
      {
        method: 'GET',
        path: /^\/__emulator\/storage\/files$/,
        handle: async (_request, res) =>
          sendJson(
            res,
            files.list().map(({ path, size, owner, uid, contentType, uploadedAt }) => ({
              fileID: fileIdOf(ctx.envId, path),
              path,
              size,
              owner,
              ...(uid ? { uid } : {}),
              contentType,
              uploadedAt: new Date(uploadedAt).toISOString(),
            })),
          ),
      },
    ],
  };
}

/** `POST /__emulator/storage/clock`: how far to move storage's clock forward. */
const clockSchema = z.object({ advanceMs: z.int().check(z.nonnegative()) });

function parseBody(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8') || '{}');
  } catch {
    return undefined;
  }
}

function sendJson(res: ServerResponse, body: unknown, status = 200) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** A malformed gateway request is a bug of the caller: the core answers CloudBaseErrors with HTTP 400. */
function jsonBody(body: Buffer): Record<string, unknown> {
  try {
    const value = JSON.parse(body.toString('utf8')) as unknown;
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // answered below
  }
  throw invalidParam('the request body must be a JSON object');
}

function requiredOpenid(value: unknown): string {
  if (typeof value !== 'string' || !value) throw invalidParam('openid (the learner calling) is required');
  return value;
}
