/**
 * What a developer opens first when something looks wrong: `GET /__emulator/` (the inspection page)
 * and the JSON it reads beyond the control API: a collection's documents, paged, and the latest
 * function invocations with their console output.
 */
import { EJSON } from 'bson';
import type { ServerResponse } from 'node:http';
import type { EmulatorContext, Route, Service } from '../service';
import { INSPECT_PAGE } from './page';

const DOCUMENTS_MAX = 100;
const INVOCATIONS_MAX = 1000;

function json(res: ServerResponse, status: number, body: unknown) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** A non-negative integer query parameter, capped; `fallback` when absent. */
function count(url: URL, name: string, fallback: number, max: number): number | undefined {
  const text = url.searchParams.get(name);
  if (text === null) return fallback;
  const n = Number(text);
  return Number.isInteger(n) && n >= 0 ? Math.min(n, max) : undefined;
}

export function createInspectService({ store, runtime, securityRules }: EmulatorContext): Service {
  const routes: Route[] = [
    {
      method: 'GET',
      path: /^\/__emulator\/?$/,
      async handle(_request, res) {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': Buffer.byteLength(INSPECT_PAGE) });
        res.end(INSPECT_PAGE);
      },
    },
    {
      method: 'GET',
      path: /^\/__emulator\/collections\/([^/]+)\/documents$/,
      async handle({ url, match }, res) {
        const name = decodeURIComponent(match[1]);
        if (!store.hasCollection(name)) return json(res, 404, { error: `no collection ${name}` });
        const offset = count(url, 'offset', 0, Number.MAX_SAFE_INTEGER);
        const limit = count(url, 'limit', 20, DOCUMENTS_MAX);
        if (offset === undefined || limit === undefined) return json(res, 400, { error: 'offset and limit must be non-negative integers' });
        const docs = [...store.collection(name).docs.values()];
        json(res, 200, {
          collection: name,
          total: docs.length,
          offset,
          limit,
          rules: securityRules.all()[name],
          // Relaxed EJSON: dates as {"$date": "<ISO>"}, numbers as plain JSON numbers.
          documents: docs.slice(offset, offset + limit).map((doc) => EJSON.serialize(doc, { relaxed: true })),
        });
      },
    },
    {
      method: 'GET',
      path: /^\/__emulator\/invocations$/,
      async handle({ url }, res) {
        const limit = count(url, 'limit', 50, INVOCATIONS_MAX);
        if (limit === undefined) return json(res, 400, { error: 'limit must be a non-negative integer' });
        json(res, 200, runtime.recent(limit));
      },
    },
  ];
  return { routes };
}
