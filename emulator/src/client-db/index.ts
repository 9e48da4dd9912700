/**
 * The mini program's own database access (`wx.cloud.database()`), checked against each collection's
 * security rules as CloudBase does; cloud functions (the admin API) bypass the rules.
 *
 *   POST /gateway/database  {openid, action, params}
 *
 * `action` and `params` are those of the admin wire (`database.getDocument` with EJSON strings...), as
 * the client SDK's query builder produces them; the answer is the admin API's: HTTP 200 with the
 * action's body, or `{code, message}` (DATABASE_PERMISSION_DENIED is errCode -502003 on the phone).
 */
import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { DatabaseAction, DbParams } from '../database/engine';
import type { Doc } from '../ejson';
import { decode, encode } from '../ejson';
import { CloudBaseError, invalidParam } from '../errors';
import type { EmulatorContext, Service } from '../service';
import { allows, branches, type Scope } from './evaluate';
import type { Operation } from './rules';

/** CloudBase: a mini-program read returns at most 20 documents (and 20 when no limit is given). */
const CLIENT_LIMIT = 20;

/** What the client may do; aggregate, transactions and collection management are for cloud functions. */
const CLIENT_ACTIONS = new Set<string>([
  'database.getDocument',
  'database.calculateDocument',
  'database.insertDocument',
  'database.modifyDocument',
  'database.removeDocument',
]);

const denied = (message: string) => new CloudBaseError('DATABASE_PERMISSION_DENIED', `Permission denied: ${message}`);

function decodeObject(text: unknown, what: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = decode(text, what);
  } catch (e) {
    throw invalidParam((e as Error).message);
  }
  if (value === undefined) return {};
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw invalidParam(`${what} must be an object`);
  return value as Record<string, unknown>;
}

/** CloudBase replaces the string constant `{openid}` in a client query with the caller's openid. */
function withOpenid(value: unknown, openid: string): unknown {
  if (value === '{openid}') return openid;
  if (Array.isArray(value)) return value.map((v) => withOpenid(v, openid));
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withOpenid(v, openid)]));
  }
  return value;
}

/** `request.data` of an update: its `$set` fields as a document (dotted keys expanded), other operators as sent. */
function requestData(update: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [op, fields] of Object.entries(update)) {
    if (op !== '$set' || !fields || typeof fields !== 'object') {
      out[op] = fields;
      continue;
    }
    for (const [path, value] of Object.entries(fields)) {
      const keys = path.split('.');
      let node = out;
      for (const key of keys.slice(0, -1)) node = (node[key] ??= {}) as Record<string, unknown>;
      node[keys[keys.length - 1]] = value;
    }
  }
  return out;
}

function touchesOpenid(update: Record<string, unknown>): boolean {
  return Object.entries(update).some(([key, fields]) =>
    key.startsWith('$')
      ? !!fields && typeof fields === 'object' && Object.keys(fields).some((f) => f === '_openid' || f.startsWith('_openid.'))
      : key === '_openid' || key.startsWith('_openid.'),
  );
}

export function createClientDatabase(ctx: EmulatorContext): Service {
  const { store, engine, securityRules } = ctx;

  function read(collection: string, id: string): Doc | null {
    if (!store.hasCollection(collection)) return null;
    const docs = store.collection(collection).docs;
    return docs.get(id) ?? (/^-?\d+$/.test(id) ? docs.get(Number(id)) : undefined) ?? null;
  }

  /**
   * Refuses unless the rule holds for everything the request can touch: the document itself for a
   * `doc(id)` request on an existing document (or a new document), the query otherwise.
   */
  function authorize(
    collection: string,
    operation: Operation,
    openid: string,
    target: { doc: Doc } | { query: Record<string, unknown> },
    data?: unknown,
  ) {
    const rule = securityRules.rule(collection, operation);
    if (!rule) throw denied(`${collection} has no ${operation} rule, so only cloud functions can ${operation} it`);
    const base = { auth: { openid }, now: Date.now(), request: data === undefined ? {} : { data }, read };
    if ('doc' in target) {
      if (!allows(rule.node, { ...base, doc: { kind: 'document', doc: target.doc } })) {
        throw denied(`the ${operation} rule of ${collection} (${rule.text}) does not allow this document`);
      }
      return;
    }
    let alternatives;
    try {
      alternatives = branches(target.query);
    } catch (e) {
      throw denied((e as Error).message);
    }
    for (const branch of alternatives) {
      const scope: Scope = { ...base, doc: { kind: 'query', branch } };
      if (!allows(rule.node, scope)) {
        throw denied(
          `the query is not a subset of the ${operation} rule of ${collection} (${rule.text}); ` +
            `pin the fields the rule reads (for doc._openid == auth.openid: where({_openid: '{openid}'}))`,
        );
      }
    }
  }

  /** The stored document a `doc(id)` request names, if it exists. */
  function named(collection: string, p: DbParams, query: Record<string, unknown>): Doc | undefined {
    if (p.queryType !== 'DOC') return undefined;
    const id = query._id;
    if (typeof id !== 'string' && typeof id !== 'number') throw invalidParam('a DOC request needs query {_id}');
    return store.collection(collection).docs.get(id);
  }

  async function handle(openid: string, action: string, p: DbParams): Promise<Record<string, unknown>> {
    if (!CLIENT_ACTIONS.has(action)) {
      throw denied(`${action || 'an empty action'} is not available to the mini program; call a cloud function`);
    }
    if (p.transactionId) throw denied('transactions are only available in cloud functions');
    if (typeof p.collectionName !== 'string' || !p.collectionName) throw invalidParam('collectionName is required');
    const collection = store.collection(p.collectionName).name;
    const query = withOpenid(decodeObject(p.query, 'query'), openid) as Record<string, unknown>;
    const params: DbParams = { ...p, query: encode(query) };
    const target = (doc: Doc | undefined) => (doc ? { doc } : { query });

    switch (action) {
      case 'database.getDocument':
        authorize(collection, 'read', openid, target(named(collection, p, query)));
        params.limit = Math.min(p.limit ?? CLIENT_LIMIT, CLIENT_LIMIT);
        break;
      case 'database.calculateDocument':
        authorize(collection, 'read', openid, { query });
        break;
      case 'database.removeDocument':
        authorize(collection, 'delete', openid, target(named(collection, p, query)));
        break;
      case 'database.insertDocument': {
        const texts = Array.isArray(p.data) ? p.data : [p.data];
        // CloudBase stamps every document a learner creates with their openid; it cannot be forged.
        const docs = texts.map((text) => ({ ...decodeObject(text, 'document'), _openid: openid }));
        for (const doc of docs) authorize(collection, 'create', openid, { doc }, doc);
        params.data = docs.map((doc) => encode(doc));
        break;
      }
      case 'database.modifyDocument': {
        const data = decodeObject(p.data, 'data');
        const existing = named(collection, p, query);
        if (p.merge === false) {
          // set(): replaces the document, or creates it when it does not exist.
          // The replacement keeps the document's owner: the creator, or none for one a function created.
          const owner = existing ? existing._openid : openid;
          if (data._openid !== undefined && data._openid !== owner) throw denied('_openid cannot be changed from the mini program');
          if (owner === undefined) delete data._openid;
          else data._openid = owner;
          if (existing) authorize(collection, 'update', openid, { doc: existing }, data);
          else authorize(collection, 'create', openid, { doc: { ...data, _id: query._id } }, data);
          params.data = encode(data);
        } else {
          if (touchesOpenid(data)) throw denied('_openid cannot be changed from the mini program');
          authorize(collection, 'update', openid, target(existing), requestData(data));
        }
        break;
      }
    }
    return (await engine.handle(action as DatabaseAction, params)).body;
  }

  return {
    routes: [
      {
        method: 'POST',
        path: /^\/gateway\/database$/,
        async handle({ body }, res) {
          let request: { openid?: unknown; action?: unknown; params?: unknown };
          try {
            request = JSON.parse(body.toString('utf8') || '{}') as typeof request;
          } catch {
            return reply(res, 400, { error: 'request body must be JSON {openid, action, params}' });
          }
          const { openid, action, params } = request;
          if (typeof openid !== 'string' || !openid) return reply(res, 400, { error: 'openid (the learner) is required' });
          if (!params || typeof params !== 'object') return reply(res, 400, { error: 'params must be an object' });
          const requestId = randomBytes(12).toString('hex');
          try {
            reply(res, 200, { ...(await handle(openid, String(action ?? ''), params as DbParams)), requestId });
          } catch (e) {
            if (!(e instanceof CloudBaseError)) throw e;
            reply(res, 200, { code: e.code, message: e.message, requestId });
          }
        },
      },
    ],
  };
}

function reply(res: ServerResponse, status: number, body: unknown) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
