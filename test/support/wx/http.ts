import { request } from 'node:http';

/**
 * A request to the emulator with Node's http module (jsdom, where mini-program tests run, has no fetch),
 * answering the status and the JSON body. Fails on a transport error, a timeout or a body that is not JSON.
 */
function exchange<T>(method: 'GET' | 'POST', url: string, payload: Buffer | undefined, contentType: string, timeoutMs: number): Promise<{ status: number; body: T }> {
  return new Promise((done, fail) => {
    const headers = payload ? { 'content-type': contentType, 'content-length': payload.length } : {};
    const req = request(
      url,
      { method, agent: false, timeout: timeoutMs, headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', fail);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          try {
            done({ status: res.statusCode ?? 0, body: JSON.parse(text) as T });
          } catch {
            fail(new Error(`not JSON (${res.statusCode}): ${text.slice(0, 200)}`));
          }
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', fail);
    req.end(payload);
  });
}

export const post = <T = Record<string, unknown>>(url: string, payload: Buffer, contentType: string, timeoutMs = 15_000) =>
  exchange<T>('POST', url, payload, contentType, timeoutMs);

export const getJson = <T = Record<string, unknown>>(url: string, timeoutMs = 15_000) => exchange<T>('GET', url, undefined, '', timeoutMs);

export const postJson = <T = Record<string, unknown>>(url: string, body: unknown, timeoutMs?: number) =>
  post<T>(url, Buffer.from(JSON.stringify(body)), 'application/json', timeoutMs);
