/**
 * CloudBase static hosting (静态网站托管): each site of `hosting.sites` in cloud.config.json serves a built
 * folder under a path, as the creator console is served in the cloud. A path without a file answers the
 * site's `index.html` (the console routes in the browser), and `config.json` of a site, when the build has
 * none, tells the page which environment to talk to: here, this emulator (the deploy writes the cloud's).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { EmulatorContext, Route, Service } from '../service';

export interface HostedSite {
  /** where it is served, e.g. `/console/` */
  path: string;
  /** the built folder, relative to cloud.config.json */
  root: string;
}

/** What the console reads at start: the environment, and where to reach it when it is not the cloud. */
export interface SiteConfig {
  envId: string;
  /** `host:port` for `app.registerHost`; absent in the cloud */
  host?: string;
  protocol?: 'http' | 'https';
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
};

/** Text files compressed once per version of the file, as static hosting's CDN serves them. */
const gzipped = new Map<string, { mtimeMs: number; body: Buffer }>();
const COMPRESSIBLE = new Set(['.html', '.js', '.css', '.json', '.svg']);

function gzipOf(file: string): Buffer {
  const { mtimeMs } = statSync(file);
  const cached = gzipped.get(file);
  if (cached?.mtimeMs === mtimeMs) return cached.body;
  const body = gzipSync(readFileSync(file));
  gzipped.set(file, { mtimeMs, body });
  return body;
}

function sendFile(req: IncomingMessage, res: ServerResponse, file: string, head: boolean) {
  const gzip = COMPRESSIBLE.has(extname(file)) && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
  const body = gzip ? gzipOf(file) : readFileSync(file);
  // Vite names assets by their content hash: cache them for good, never the page that names them.
  const immutable = file.includes(`${sep}assets${sep}`);
  res.writeHead(200, {
    'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
    'content-length': body.length,
    'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    vary: 'accept-encoding',
    ...(gzip ? { 'content-encoding': 'gzip' } : {}),
  });
  res.end(head ? undefined : body);
}

function sendText(res: ServerResponse, status: number, type: string, text: string) {
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function readSites(ctx: EmulatorContext): HostedSite[] {
  const hosting = ctx.config.hosting as { sites?: HostedSite[] } | undefined;
  return hosting?.sites ?? [];
}

function siteRoutes(ctx: EmulatorContext, site: HostedSite): Route[] {
  const base = site.path.endsWith('/') ? site.path : `${site.path}/`;
  const rootDir = resolve(ctx.configDir, site.root);
  const escaped = base.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  const siteConfig: SiteConfig = { envId: ctx.envId, host: new URL(ctx.url).host, protocol: 'http' };
  const serve = (head: boolean): Route['handle'] =>
    async ({ req, match }, res) => {
      const index = join(rootDir, 'index.html');
      if (!existsSync(index)) {
        return sendText(res, 404, 'text/plain; charset=utf-8', `${base} is not built: ${rootDir} has no index.html (npm run build builds it)`);
      }
      const relative = normalize(decodeURIComponent(match[1] ?? ''));
      const file = join(rootDir, relative);
      // `..` never leaves the site's folder.
      if (file !== rootDir && !file.startsWith(rootDir + sep)) return sendText(res, 404, 'text/plain; charset=utf-8', 'not found');
      if (existsSync(file) && statSync(file).isFile()) return sendFile(req, res, file, head);
      if (relative === 'config.json') return sendText(res, 200, 'application/json', JSON.stringify(siteConfig));
      // An asset that is missing is an error; any other path is a route of the page.
      if (extname(relative) !== '') return sendText(res, 404, 'text/plain; charset=utf-8', 'not found');
      sendFile(req, res, index, head);
    };
  const path = new RegExp(`^${escaped}(.*)$`);
  const redirect: Route['handle'] = async (_request, res) => {
    res.writeHead(301, { location: base });
    res.end();
  };
  return [
    { method: 'GET', path: new RegExp(`^${escaped.replace(/\\\/$/, '')}$`), handle: redirect },
    { method: 'GET', path, handle: serve(false) },
    { method: 'HEAD', path, handle: serve(true) },
  ];
}

export function createHostingService(ctx: EmulatorContext): Service {
  return { routes: readSites(ctx).flatMap((site) => siteRoutes(ctx, site)) };
}
