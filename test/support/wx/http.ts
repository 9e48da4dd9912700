import { request } from 'node:http';

/**
 * A request to the emulator with Node's http module (jsdom, where mini-program tests run, has no fetch),
 * answering the status and the JSON body. Fails on a transport error, a timeout or a body that is not JSON.
 */
function exchange<T>(
  method: 'GET' | 'POST',
  url: string,
  payload: Buffer | undefined,
  contentType: string,
  timeoutMs: number,
  extraHeaders: Record<string, string> = {},
): Promise<{ status: number; body: T; headers: Record<string, string | string[] | undefined> }> {
  return new Promise((done, fail) => {
    const headers = { ...(payload ? { 'content-type': contentType, 'content-length': payload.length } : {}), ...extraHeaders };
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
            done({ status: res.statusCode ?? 0, body: JSON.parse(text) as T, headers: res.headers });
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

const statusAndBody = <T>({ status, body }: { status: number; body: T }) => ({ status, body });

export const post = async <T = Record<string, unknown>>(url: string, payload: Buffer, contentType: string, timeoutMs = 15_000) =>
  statusAndBody(await exchange<T>('POST', url, payload, contentType, timeoutMs));

export const getJson = async <T = Record<string, unknown>>(url: string, timeoutMs = 15_000) => statusAndBody(await exchange<T>('GET', url, undefined, '', timeoutMs));

export const postJson = async <T = Record<string, unknown>>(url: string, body: unknown, timeoutMs?: number) =>
  statusAndBody(await exchange<T>('POST', url, Buffer.from(JSON.stringify(body)), 'application/json', timeoutMs ?? 15_000));

/** `postJson` with request headers (a bearer token), answering the response's headers too. */
export const postJsonWithHeaders = <T = Record<string, unknown>>(url: string, body: unknown, headers: Record<string, string>) =>
  exchange<T>('POST', url, Buffer.from(JSON.stringify(body)), 'application/json', 15_000, headers);
