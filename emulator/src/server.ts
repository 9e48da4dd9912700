import busboy from 'busboy';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname } from 'node:path';
import { SecurityRules } from './client-db/rules';
import { DATABASE_ACTIONS, DatabaseEngine, type DbParams } from './database/engine';
import type { IndexSpec } from './database/indexes';
import { Store } from './database/store';
import { CloudBaseError, ConnectionDropped } from './errors';
import { FaultInjector, startupFaultSettings } from './faults';
import { FunctionRuntime, type Caller } from './functions/runtime';
import type { AdminCall, AdminReply, EmulatorContext, Route, Service } from './service';
import { createServices } from './services';

export interface EmulatorOptions {
  host: string;
  port: number;
  /** LMDB files live in `<dataDir>/db` */
  dataDir: string;
  functionsDirs: string[];
  workerScript: string;
  envId: string;
  appId: string;
  maxInstancesPerFunction: number;
  lockTimeoutMs: number;
  transactionIdleMs: number;
  /** `cloud.config.json`, if the project has one */
  configFile?: string;
  /** `EMULATOR_FAULTS`: fault injection settings (JSON), instead of `faults` in the config file */
  faults?: string;
}

export interface Emulator {
  url: string;
  store: Store;
  runtime: FunctionRuntime;
  securityRules: SecurityRules;
  faults: FaultInjector;
  close(): Promise<void>;
}

/** Largest request body accepted (CloudBase caps a document at 16 MB and a function payload at 6 MB). */
const MAX_BODY = 16 * 1024 * 1024;

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        reject(new HttpError(413, `request body over ${MAX_BODY} bytes`));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Multipart fields as the SDK's form-data sends them (`wx.*` actions): text, or bytes for binary parts. */
function parseMultipart(req: IncomingMessage, body: Buffer): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const fields: Record<string, unknown> = {};
    const parser = busboy({ headers: req.headers, limits: { fileSize: MAX_BODY } });
    parser.on('field', (name, value) => (fields[name] = value));
    parser.on('file', (name, stream) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => (fields[name] = Buffer.concat(chunks)));
    });
    parser.on('close', () => resolve(fields));
    parser.on('error', (e: Error) => reject(new HttpError(400, `bad multipart body: ${e.message}`)));
    parser.end(body);
  });
}

function parseJson(body: Buffer): Record<string, unknown> {
  try {
    const value = JSON.parse(body.toString('utf8') || '{}') as unknown;
    if (!value || typeof value !== 'object' || Array.isArray(value)) throw new Error('not an object');
    return value as Record<string, unknown>;
  } catch (e) {
    throw new HttpError(400, `request body must be a JSON object: ${(e as Error).message}`);
  }
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

const requestId = () => randomBytes(12).toString('hex');

export async function startEmulator(options: EmulatorOptions): Promise<Emulator> {
  const config = options.configFile && existsSync(options.configFile) ? (JSON.parse(readFileSync(options.configFile, 'utf8')) as Record<string, unknown>) : {};
  // Before anything opens: bad settings stop the start with the field named.
  const faults = new FaultInjector(startupFaultSettings(config, options.faults));
  const store = Store.open(`${options.dataDir}/db`);
  const engine = new DatabaseEngine(store, options);
  const securityRules = new SecurityRules();
  const examined = new Map<string, { requests: number; docsExamined: number }>();
  let runtime!: FunctionRuntime;

  /** The CloudBase admin API, as wx-server-sdk calls it: POST /admin?env=..&seqId=.. with `{action, ...}`. */
  async function admin(req: IncomingMessage, url: URL, body: Buffer): Promise<AdminReply> {
    const multipart = (req.headers['content-type'] ?? '').startsWith('multipart/form-data');
    const params = multipart ? await parseMultipart(req, body) : parseJson(body);
    const call: AdminCall = { action: String(params.action ?? ''), params, invocationId: url.searchParams.get('invocation') };
    const handler = actions.get(call.action);
    if (!handler) {
      throw new CloudBaseError('ACTION_NOT_SUPPORTED', `the emulator does not implement ${call.action || 'an empty action'}`);
    }
    return handler(call);
  }

  const core: Service = {
    actions: {
      ...Object.fromEntries(
        DATABASE_ACTIONS.map((action) => [
          action,
          async ({ params, invocationId }: AdminCall) => {
            const fate = runtime.countDbRequest(invocationId);
            if (fate === 'drop') throw new ConnectionDropped('the instance that sent this request was killed');
            // Fault injection: the database applies the request, then its instance dies without the answer.
            const result = await engine.handle(action, params as DbParams).finally(() => {
              if (fate !== 'apply-then-kill') return;
              runtime.killAfterDbRequest(invocationId!);
              throw new ConnectionDropped('the instance that sent this request was killed');
            });
            const name = typeof params.collectionName === 'string' ? params.collectionName : '';
            const counter = examined.get(name) ?? { requests: 0, docsExamined: 0 };
            counter.requests++;
            counter.docsExamined += result.examined;
            examined.set(name, counter);
            return result.body;
          },
        ]),
      ),
      'functions.invokeFunction': async ({ params }) => {
        const name = String(params.function_name ?? '');
        const responseData = await runtime.invoke(name, decodeRequestData(params.request_data)).done;
        return { data: { response_data: responseData } };
      },
    },
  };

  /**
   * The client gateway: what `wx.cloud.callFunction` does for a learner. The caller chooses the openid
   * (the emulator has no WeChat login); the function sees it through `getWXContext()`, and the event
   * carries `userInfo` as in the cloud.
   */
  async function gateway(body: Buffer, res: ServerResponse) {
    const params = parseJson(body);
    const name = params.name;
    if (typeof name !== 'string' || !name) throw new HttpError(400, 'name (the function to call) is required');
    const caller: Caller = {
      openid: typeof params.openid === 'string' && params.openid ? params.openid : undefined,
      source: 'wx_client',
    };
    if (!caller.openid) throw new HttpError(400, 'openid (the learner calling) is required');
    const data = params.data === undefined ? {} : params.data;
    if (!data || typeof data !== 'object' || Array.isArray(data)) throw new HttpError(400, 'data must be an object');
    const event = { ...data, userInfo: { appId: options.appId, openId: caller.openid } };
    const failure = (e: Error, requestID = '') => ({
      errCode: -504002,
      errMsg: `cloud.callFunction:fail -504002 functions execute fail. ${e.message}`,
      requestID,
    });
    let invocation: ReturnType<FunctionRuntime['invoke']>;
    try {
      invocation = runtime.invoke(name, event, caller);
    } catch (e) {
      if (e instanceof CloudBaseError) return send(res, 200, failure(e));
      throw e;
    }
    const { record, done } = invocation;
    const outcome = await done.then(
      (responseData) => ({ result: JSON.parse(responseData) as unknown, requestID: record.id }),
      (e: Error) => failure(e, record.id),
    );
    send(res, 200, outcome, {
      'x-invocation-id': record.id,
      'x-db-requests': String(record.dbRequests),
      'x-cold-start': String(record.coldStart),
    });
  }

  async function control(method: string, path: string, body: Buffer, res: ServerResponse) {
    if (method === 'GET' && path === '/health') return send(res, 200, { ok: true, envId: options.envId });
    if (method === 'GET' && path === '/stats') {
      return send(res, 200, { functions: runtime.stats(), collections: Object.fromEntries(examined), providerCalls: faults.counters().providerCalls });
    }
    if (method === 'GET' && path === '/collections') {
      return send(res, 200, store.listCollections().map((c) => ({ ...c, count: store.collection(c.name).docs.size })));
    }
    if (method === 'POST' && path === '/collections') {
      const { name, indexes, rules } = parseJson(body) as { name?: string; indexes?: IndexSpec[]; rules?: unknown };
      if (typeof name !== 'string') throw new HttpError(400, 'name is required');
      if (rules !== undefined) {
        try {
          securityRules.set(name, rules);
        } catch (e) {
          throw new HttpError(400, (e as Error).message);
        }
      }
      if (!store.hasCollection(name)) await store.createCollection(name);
      for (const spec of indexes ?? []) await store.ensureIndex(name, spec);
      return send(res, 200, { ok: true });
    }
    const invocation = /^\/invocations\/([0-9a-f]+)$/.exec(path);
    if (method === 'GET' && invocation) {
      const record = runtime.record(invocation[1]);
      if (!record) throw new HttpError(404, `no invocation ${invocation[1]}`);
      return send(res, 200, record);
    }
    throw new HttpError(404, `no control endpoint ${method} ${path}`);
  }

  const actions = new Map<string, NonNullable<Service['actions']>[string]>();
  const routes: Route[] = [];
  let services: Service[] = [];

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    readBody(req)
      .then(async (body) => {
        if (req.method === 'POST' && url.pathname === '/admin') {
          const reply = await admin(req, url, body).catch((e: unknown) => {
            if (e instanceof CloudBaseError) return { code: e.code, message: e.message };
            throw e;
          });
          if ('raw' in reply && Buffer.isBuffer(reply.raw)) {
            res.writeHead(200, { 'content-type': String(reply.contentType), 'content-length': reply.raw.length });
            return void res.end(reply.raw);
          }
          return send(res, 200, { ...reply, requestId: requestId() });
        }
        if (req.method === 'POST' && url.pathname === '/gateway/callFunction') return gateway(body, res);
        for (const route of routes) {
          const match = route.method === req.method ? route.path.exec(url.pathname) : null;
          if (match) return route.handle({ req, url, match, body }, res);
        }
        if (url.pathname.startsWith('/__emulator/')) {
          return control(req.method ?? 'GET', url.pathname.slice('/__emulator'.length), body, res);
        }
        throw new HttpError(404, `nothing at ${req.method} ${url.pathname}`);
      })
      .catch((e: unknown) => {
        // No answer at all: the caller sees its connection reset, as with a provider that hangs up.
        if (e instanceof ConnectionDropped) return void req.socket.destroy();
        if (res.headersSent) return;
        if (e instanceof HttpError) return send(res, e.status, { error: e.message });
        if (e instanceof CloudBaseError) return send(res, 400, { code: e.code, error: e.message });
        console.error('[emulator] internal error', e);
        send(res, 500, { code: 'SYS_ERR', error: (e as Error).message });
      });
  });
  server.keepAliveTimeout = 65_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    // A burst of 1000 learners connects at once; Node's default backlog (511) drops the overflow and
    // each dropped client retries a second later.
    server.listen({ port: options.port, host: options.host, backlog: 4096 }, resolve);
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${options.host}:${port}`;
  runtime = new FunctionRuntime({
    functionsDirs: options.functionsDirs,
    adminUrl: `${url}/admin`,
    envId: options.envId,
    appId: options.appId,
    maxInstancesPerFunction: options.maxInstancesPerFunction,
    workerScript: options.workerScript,
    faults,
  });
  const ctx: EmulatorContext = {
    url,
    envId: options.envId,
    appId: options.appId,
    dataDir: options.dataDir,
    config,
    configDir: options.configFile ? dirname(options.configFile) : process.cwd(),
    store,
    engine,
    runtime,
    securityRules,
    faults,
  };
  services = [core, ...createServices(ctx)];
  for (const service of services) {
    for (const [action, handler] of Object.entries(service.actions ?? {})) actions.set(action, handler);
    routes.push(...(service.routes ?? []));
  }

  return {
    url,
    store,
    runtime,
    securityRules,
    faults,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      for (const service of services) await service.close?.();
      await runtime.close();
      await store.close();
    },
  };
}

function decodeRequestData(text: unknown): unknown {
  if (text === undefined || text === '') return {};
  if (typeof text !== 'string') throw new CloudBaseError('INVALID_PARAM', 'request_data must be a JSON string');
  try {
    return JSON.parse(text);
  } catch {
    throw new CloudBaseError('INVALID_PARAM', 'request_data is not valid JSON');
  }
}
