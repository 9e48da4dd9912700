/**
 * `wx.request` for the mini-program harness: a real HTTP request (Node's http module: jsdom has no fetch),
 * answered as WeChat answers: success whatever the status, `data` parsed when it is JSON, fail only at the
 * transport (`request:fail ...`, also while the test has the network off). It returns its task, never a
 * promise. Every request is recorded, so tests see which way the app reached the cloud.
 */
import { request as httpRequest } from 'node:http';
import type { ApiParam } from './api';

export interface RequestSession {
  readonly online: boolean;
  readonly requests: Array<{ url: string; method: string }>;
  track<T>(work: Promise<T>): Promise<T>;
}

const isBinary = (data: unknown) => Object.prototype.toString.call(data) === '[object ArrayBuffer]' || ArrayBuffer.isView(data);

function bodyOf(data: unknown): Buffer | undefined {
  if (data === undefined) return undefined;
  if (isBinary(data)) return Buffer.from(ArrayBuffer.isView(data) ? data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) : (data as ArrayBuffer));
  return Buffer.from(typeof data === 'string' ? data : JSON.stringify(data));
}

function exchange(url: string, method: string, header: Record<string, string>, body: Buffer | undefined, timeoutMs: number) {
  return new Promise<{ statusCode: number; data: unknown; header: Record<string, unknown> }>((done, fail) => {
    const req = httpRequest(url, { method, agent: false, timeout: timeoutMs, headers: { ...header, ...(body ? { 'content-length': body.length } : {}) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', fail);
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let data: unknown = text;
        try {
          data = JSON.parse(text);
        } catch {
          // WeChat hands over what is not JSON as a string.
        }
        done({ statusCode: res.statusCode ?? 0, data, header: res.headers });
      });
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', fail);
    req.end(body);
  });
}

export function wxRequest(session: RequestSession) {
  return {
    request(param: ApiParam & { url?: string; method?: string; data?: unknown; header?: Record<string, string>; timeout?: number }) {
      const method = (param.method ?? 'GET').toUpperCase();
      const url = String(param.url ?? '');
      session.requests.push({ url, method });
      const work = session.online
        ? exchange(url, method, param.header ?? {}, bodyOf(param.data), param.timeout ?? 60_000).then(
            (res) => ({ errMsg: 'request:ok', ...res }),
            (e: Error) => Promise.reject({ errno: 600001, errMsg: `request:fail ${e.message}` }),
          )
        : Promise.reject({ errno: 600001, errMsg: 'request:fail network is down' });
      session.track(work).then(
        (res) => {
          param.success?.(res);
          param.complete?.(res);
        },
        (err: unknown) => {
          param.fail?.(err);
          param.complete?.(err);
        },
      );
      return { abort() {}, onHeadersReceived() {}, offHeadersReceived() {} };
    },
  };
}
