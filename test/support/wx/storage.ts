/**
 * `wx.cloud.uploadFile`, `getTempFileURL` and `deleteFile` for the mini-program harness: each goes over
 * HTTP to the emulator's storage gateway as the session's learner, so the storage security rules of
 * cloud.config.json apply as they would to a phone. `filePath` is a local file (on a phone, a temp path
 * from `wx.chooseMedia`...).
 */
import { Buffer } from 'node:buffer';
import { readFile } from 'node:fs/promises';
import { post } from './http';

export interface StorageSession {
  readonly gatewayUrl: string;
  readonly openid: string;
  readonly initedWith: unknown;
  track<T>(work: Promise<T>): Promise<T>;
}

/** What the harness lends: its callback-or-promise convention and the error pages receive. */
export interface HarnessKit {
  asyncApi(param: Record<string, unknown> | undefined, work: Promise<unknown>): Promise<unknown> | undefined;
  CloudError: new (errCode: number, errMsg: string) => Error;
}

interface Reply {
  status: number;
  body: { errCode?: number; errMsg?: string; [key: string]: unknown };
}

export function wxCloudStorage(session: StorageSession, { asyncApi, CloudError }: HarnessKit) {
  async function call(api: string, path: string, payload: Buffer, contentType: string): Promise<Record<string, unknown>> {
    if (!session.initedWith) throw new CloudError(-1, `cloud.${api}:fail Cloud API isn't enabled, please call wx.cloud.init first`);
    let reply: Reply;
    try {
      reply = await post<Reply['body']>(`${session.gatewayUrl}/gateway/storage/${path}`, payload, contentType);
    } catch (e) {
      throw new CloudError(-1, `cloud.${api}:fail request:fail ${(e as Error).message}`);
    }
    // Any other status is the gateway refusing a malformed call: a bug of the page or the harness.
    if (reply.status !== 200) throw new Error(`storage gateway answered ${reply.status}: ${JSON.stringify(reply.body)}`);
    if (typeof reply.body.errCode === 'number') throw new CloudError(reply.body.errCode, reply.body.errMsg ?? '');
    return { ...reply.body, errMsg: `cloud.${api}:ok` };
  }

  const json = (api: string, body: Record<string, unknown>) =>
    call(api, api, Buffer.from(JSON.stringify({ ...body, openid: session.openid })), 'application/json');

  async function uploadFile({ cloudPath, filePath }: Record<string, unknown>) {
    let bytes: Buffer;
    try {
      bytes = await readFile(String(filePath));
    } catch (e) {
      throw new CloudError(-1, `cloud.uploadFile:fail ${(e as Error).message}`);
    }
    const query = new URLSearchParams({ openid: session.openid, cloudPath: String(cloudPath ?? '') });
    return { ...(await call('uploadFile', `uploadFile?${query}`, bytes, 'application/octet-stream')), statusCode: 200 };
  }

  const api = (work: (param: Record<string, unknown>) => Promise<unknown>) => (param?: Record<string, unknown>) =>
    asyncApi(param, session.track(work(param ?? {})));

  return {
    uploadFile: api(uploadFile),
    getTempFileURL: api(({ fileList }) => json('getTempFileURL', { fileList })),
    deleteFile: api(({ fileList }) => json('deleteFile', { fileList })),
  };
}
