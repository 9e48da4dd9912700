import { request } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { emulatorUrl } from '../support/sdk';

/**
 * Static hosting (`hosting.sites` of cloud.config.json): the creator console, built by `npm run build`, served
 * under /console/ as CloudBase's static hosting serves it, with the environment it should talk to.
 */
function get(path: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request(`${emulatorUrl()}${path}`, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('static hosting', () => {
  it('serves the console page, its hashed assets cached for good, and any route of it as the page', async () => {
    const page = await get('/console/');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['cache-control']).toBe('no-cache');
    const html = page.body.toString();
    expect(html).toContain('<div id="app">');
    const script = /src="\.\/(assets\/[^"]+\.js)"/.exec(html)![1]!;
    const asset = await get(`/console/${script}`);
    expect([asset.status, asset.headers['content-type'], asset.headers['cache-control']]).toEqual([200, 'text/javascript; charset=utf-8', 'public, max-age=31536000, immutable']);
    expect((await get('/console/courses/new')).body.toString()).toBe(html);
    expect((await get('/console')).headers.location).toBe('/console/');
  });

  it('compresses text for a browser that accepts gzip, as the CDN does', async () => {
    const plain = await get('/console/');
    const zipped = await get('/console/', { 'accept-encoding': 'gzip, deflate' });
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(zipped.body).equals(plain.body)).toBe(true);
  });

  it('tells the page which environment to talk to: this emulator', async () => {
    const { status, body } = await get('/console/config.json');
    expect(status).toBe(200);
    expect(JSON.parse(body.toString())).toEqual({ envId: 'local-env', host: new URL(emulatorUrl()).host, protocol: 'http' });
  });

  it('answers 404 for a missing asset and never serves a file outside the site', async () => {
    expect((await get('/console/assets/missing.js')).status).toBe(404);
    expect((await get('/console/..%2f..%2fpackage.json')).status).toBe(404);
    expect((await get('/console/%2e%2e/cloud.config.json')).status).toBe(404);
  });
});
