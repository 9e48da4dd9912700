import type { ServerResponse } from 'node:http';
import type { AdminCall, AdminReply, EmulatorContext, Service } from '../service';
import { rid, WxError, type OpenApi } from './api';
import { readOpenApiConfig } from './config';
import { MediaChecks, msgSecCheck } from './security';
import { SubscribeError, SubscribeMessages } from './subscribe';
import { getUnlimited } from './wxacode';
import { decodeRequest, encodeResponse, OPEN_API, type OpenApiResponse } from './wire';

/**
 * Open APIs (云调用) as a cloud function reaches them with `cloud.openapi.*`: the `wx.openApi` admin
 * action carries a protobuf `CommApiData` and answers a protobuf `CommOpenApiResp` (see wire.ts).
 *
 * - A function may call only the APIs its `config.json` lists in `permissions.openapi`; otherwise, as
 *   in the cloud, the answer is the platform error -604101 (-604104 outside a function).
 * - WeChat's own errors (`{errcode, errmsg}` JSON) reach the caller as the SDK's `errCode`.
 *
 * Routes: `POST /gateway/subscribeMessage` (the learner answers `wx.requestSubscribeMessage`),
 * `GET /__emulator/openapi/outbox` (sent subscription messages), `POST /__emulator/openapi/media-checks/flush`
 * (push every pending `wxa_media_check` now).
 */

/** Platform errors, in `CommOpenApiResp.errorCode`, which wx-server-sdk surfaces as `errCode`. */
const API_NOT_FOUND = -604100;
const NO_PERMISSION = -604101;
const ILLEGAL_SOURCE = -604104;

const protobuf = (response: OpenApiResponse): AdminReply => ({ raw: encodeResponse(response), contentType: 'application/octet-stream' });

/** A CloudBase error; the SDK parses the body as JSON only under exactly this content type. */
const cloudBaseError = (code: string, message: string): AdminReply => ({
  raw: Buffer.from(JSON.stringify({ code, message, requestId: rid() })),
  contentType: 'application/json; charset=utf-8',
});

function replyJson(res: ServerResponse, status: number, body: unknown) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function parseJson(body: Buffer): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(body.toString('utf8') || '{}') as unknown;
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export function createOpenApiService(ctx: EmulatorContext): Service {
  const config = readOpenApiConfig(ctx.config);
  const subscriptions = new SubscribeMessages(config.templates);
  const mediaChecks = new MediaChecks(ctx, config);
  const apis: Record<string, OpenApi> = {
    'subscribeMessage.send': (call) => subscriptions.send(call),
    'security.msgSecCheck': (call) => msgSecCheck(config, call),
    'security.mediaCheckAsync': (call) => mediaChecks.submit(call),
    'wxacode.getUnlimited': getUnlimited,
  };

  async function openApi({ params, invocationId }: AdminCall): Promise<AdminReply> {
    const apiName = String(params.apiName ?? '');
    const permission = ctx.runtime.openApiPermission(invocationId, apiName);
    const functionName = invocationId ? ctx.runtime.record(invocationId)?.functionName : undefined;
    if (permission === 'outside-function' || !functionName) return protobuf({ errorCode: ILLEGAL_SOURCE });
    if (permission === 'denied') return protobuf({ errorCode: NO_PERMISSION });
    const api = apis[apiName];
    if (!api) return protobuf({ errorCode: API_NOT_FOUND });
    if (!Buffer.isBuffer(params.requestData)) return cloudBaseError('INVALID_PARAM', 'requestData must be a protobuf CommApiData');
    let request: ReturnType<typeof decodeRequest>;
    try {
      request = decodeRequest(params.requestData);
    } catch (e) {
      return cloudBaseError('INVALID_PARAM', `requestData: ${(e as Error).message}`);
    }
    if (request.apiType !== OPEN_API) return cloudBaseError('INVALID_PARAM', `apiType ${request.apiType} is not emulated`);
    let body: Record<string, unknown>;
    try {
      const reply = await api({ params: request.params, functionName });
      if ('raw' in reply) return protobuf({ respData: reply.raw, contentType: reply.contentType, httpCode: 200 });
      body = { errcode: 0, errmsg: 'ok', ...reply.json };
    } catch (e) {
      if (!(e instanceof WxError)) throw e;
      body = { errcode: e.errcode, errmsg: `${e.message} rid: ${rid()}` };
    }
    return protobuf({ respData: Buffer.from(JSON.stringify(body)), contentType: 'application/json; charset=UTF-8', httpCode: 200 });
  }

  return {
    actions: { 'wx.openApi': openApi },
    routes: [
      {
        // What `wx.requestSubscribeMessage` does once the learner answers the dialog.
        method: 'POST',
        path: /^\/gateway\/subscribeMessage$/,
        async handle({ body }, res) {
          const request = parseJson(body);
          const { openid, tmplIds, accept } = request ?? {};
          if (typeof openid !== 'string' || !openid) return replyJson(res, 400, { error: 'openid (the learner answering) is required' });
          if (typeof accept !== 'boolean' && !(Array.isArray(accept) && accept.every((id) => typeof id === 'string'))) {
            return replyJson(res, 400, { error: 'accept must be true, false, or the template ids accepted' });
          }
          try {
            const answers = subscriptions.request(openid, tmplIds, (id) => (typeof accept === 'boolean' ? accept : accept.includes(id)));
            replyJson(res, 200, { errMsg: 'requestSubscribeMessage:ok', ...answers });
          } catch (e) {
            if (!(e instanceof SubscribeError)) throw e;
            replyJson(res, 200, { errCode: e.errCode, errMsg: `requestSubscribeMessage:fail ${e.message}` });
          }
        },
      },
      {
        method: 'GET',
        path: /^\/__emulator\/openapi\/outbox$/,
        async handle({ url }, res) {
          const touser = url.searchParams.get('touser');
          replyJson(res, 200, touser ? subscriptions.outbox.filter((m) => m.touser === touser) : subscriptions.outbox);
        },
      },
      {
        method: 'POST',
        path: /^\/__emulator\/openapi\/media-checks\/flush$/,
        async handle({ url }, res) {
          replyJson(res, 200, await mediaChecks.flush(url.searchParams.get('openid') ?? undefined));
        },
      },
    ],
    async close() {
      mediaChecks.close();
    },
  };
}
