import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { CloudBaseError } from '../errors';
import type { FaultInjector, KillPoint } from '../faults/injector';
import type { InvokeMessage, LogLevel, LogMessage, ResultMessage } from './worker';

/** A function's `config.json`, as CloudBase reads it. */
export interface FunctionConfig {
  /** seconds; CloudBase's default is 3 */
  timeout?: number;
  permissions?: { openapi?: string[] };
  triggers?: Array<{ name: string; type: string; config: string }>;
}

/**
 * Who calls: a learner through the mini program (openid), a user signed in with CloudBase's web
 * authentication (uid, through the web SDK), or another function / a script (none).
 */
export interface Caller {
  openid?: string;
  appid?: string;
  unionid?: string;
  source?: 'wx_client' | 'wx_devtools' | 'wx_http' | 'wx_unknown';
  /** a web user's CloudBase uid: the function sees it as TCB_UUID (node-sdk's `auth().getUserInfo().uid`) */
  uid?: string;
  /** how the web user signed in (LOGINTYPE; CloudBase's `USERNAME` for username and password) */
  loginType?: string;
}

export interface InvocationRecord {
  id: string;
  functionName: string;
  openid?: string;
  /** the web user's uid, for a call through the web SDK */
  uid?: string;
  coldStart: boolean;
  startedAt: number;
  durationMs?: number;
  dbRequests: number;
  /** killed: fault injection killed the instance (the caller sees a failure, as for a timeout) */
  status: 'running' | 'ok' | 'error' | 'timeout' | 'killed';
  error?: string;
  /** the function's console output, up to LOG_LINES_KEPT lines and LOG_CHARS_KEPT characters */
  logs: Array<{ level: LogLevel; message: string; at: number }>;
  /** whether output beyond those bounds was dropped */
  logsTruncated: boolean;
}

export interface RuntimeOptions {
  functionsDirs: string[];
  /** the admin API URL the SDK inside a function calls */
  adminUrl: string;
  envId: string;
  appId: string;
  maxInstancesPerFunction: number;
  workerScript: string;
  faults?: FaultInjector;
}

/**
 * What happens to a database request under fault injection: applied; applied, then its instance is
 * killed (`killAfterDbRequest`) before it can read the answer; or dropped unapplied, its instance
 * being dead or dying already.
 */
export type DbRequestFate = 'apply' | 'apply-then-kill' | 'drop';

interface Instance {
  worker: Worker;
  busy: boolean;
  warm: boolean;
}

interface Pending {
  message: InvokeMessage;
  record: InvocationRecord;
  resolve: (responseData: string) => void;
  reject: (e: Error) => void;
  /** fault injection: kill the instance after this many DB requests (0: before it runs) */
  killAfter?: number;
  /** set while the invocation runs, when a kill is planned */
  kill?: (point: KillPoint, when: string) => void;
  /** its last DB request is being applied: the instance dies next */
  dying?: boolean;
}

const DEFAULT_TIMEOUT_S = 3;
const RECORDS_KEPT = 20_000;
const LOG_LINES_KEPT = 100;
const LOG_CHARS_KEPT = 16_384;

/** Keeps a console line on the record while the invocation's log budget lasts. */
function keepLog(record: InvocationRecord, log: LogMessage['log']) {
  const used = record.logs.reduce((sum, l) => sum + l.message.length, 0);
  const room = LOG_CHARS_KEPT - used;
  if (record.logs.length >= LOG_LINES_KEPT || room <= 0) {
    record.logsTruncated = true;
    return;
  }
  if (log.message.length > room) record.logsTruncated = true;
  record.logs.push({ ...log, message: log.message.slice(0, room) });
}

class FunctionPool {
  private readonly instances: Instance[] = [];
  private readonly queue: Pending[] = [];
  coldStarts = 0;
  warmStarts = 0;
  peakInstances = 0;

  constructor(
    readonly name: string,
    private readonly bundle: string,
    readonly config: FunctionConfig,
    private readonly options: RuntimeOptions,
    /** the variables configured for this function (console: 函数配置 > 环境变量) */
    private readonly configured: () => Record<string, string>,
  ) {}

  submit(pending: Pending) {
    this.queue.push(pending);
    this.dispatch();
  }

  private dispatch() {
    while (this.queue.length) {
      let instance = this.instances.find((i) => !i.busy);
      if (!instance) {
        if (this.instances.length >= this.options.maxInstancesPerFunction) return;
        instance = this.spawn();
      }
      this.run(instance, this.queue.shift()!);
    }
  }

  private spawn(): Instance {
    const worker = new Worker(this.options.workerScript, {
      workerData: { bundle: this.bundle, name: this.name },
      env: this.instanceEnv(),
      stdout: false,
      stderr: false,
    });
    worker.unref();
    const instance: Instance = { worker, busy: false, warm: false };
    this.instances.push(instance);
    this.peakInstances = Math.max(this.peakInstances, this.instances.length);
    return instance;
  }

  /** What SCF puts in a CloudBase function's environment, pointed at the emulator, over the function's configured variables. */
  private instanceEnv(): Record<string, string> {
    const { envId } = this.options;
    return {
      ...(process.env as Record<string, string>),
      ...this.configured(),
      TENCENTCLOUD_RUNENV: 'SCF',
      TENCENTCLOUD_REGION: 'ap-shanghai',
      SCF_NAMESPACE: envId,
      SCF_FUNCTIONNAME: this.name,
      TCB_ENV: envId,
      TCB_CONTEXT_KEYS: 'TCB_ENV,SCF_NAMESPACE',
      TENCENTCLOUD_SECRETID: 'emulator',
      TENCENTCLOUD_SECRETKEY: 'emulator',
      TENCENTCLOUD_SESSIONTOKEN: '',
    };
  }

  private run(instance: Instance, pending: Pending) {
    instance.busy = true;
    const { record } = pending;
    record.coldStart = !instance.warm;
    if (record.coldStart) this.coldStarts++;
    else this.warmStarts++;
    const timeoutS = this.config.timeout ?? DEFAULT_TIMEOUT_S;
    let settled = false;
    const finish = (status: InvocationRecord['status'], outcome: { data?: string; error?: string }) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      instance.worker.off('message', onMessage);
      instance.worker.off('error', onCrash);
      instance.worker.off('exit', onExit);
      record.status = status;
      record.durationMs = Date.now() - record.startedAt;
      if (status === 'ok') {
        instance.warm = true;
        instance.busy = false;
        pending.resolve(outcome.data!);
      } else {
        // As on SCF, an instance whose invocation failed is not reused.
        this.retire(instance);
        record.error = outcome.error;
        pending.reject(new CloudBaseError('FUNCTIONS_EXECUTE_FAIL', outcome.error!));
      }
      this.dispatch();
    };
    // Fault injection: the instance dies as on a timeout, at the point planned for this invocation.
    const kill = (point: KillPoint, when: string) => {
      if (settled) return;
      this.options.faults?.recordKill(this.name, point);
      finish('killed', { error: `instance killed by fault injection ${when}` });
    };
    if (pending.killAfter !== undefined) pending.kill = kill;
    const onMessage = (msg: ResultMessage | LogMessage) => {
      if (msg.id !== record.id) return;
      if ('log' in msg) keepLog(record, msg.log);
      // It made fewer DB requests than planned: the work is done, the answer is lost.
      else if (pending.killAfter !== undefined) {
        const failed = msg.ok ? '' : ` (the function had thrown: ${msg.error.split('\n')[0]})`;
        kill('after', `after it returned, before its answer was sent${failed}`);
      } else if (msg.ok) finish('ok', { data: msg.result });
      else finish('error', { error: msg.error });
    };
    const onCrash = (e: Error) => finish('error', { error: e.stack ?? e.message });
    const onExit = (code: number) => finish('error', { error: `function instance exited with code ${code}` });
    const timer = setTimeout(
      () => finish('timeout', { error: `Invoking task timed out after ${timeoutS} seconds` }),
      timeoutS * 1000,
    );
    instance.worker.on('message', onMessage);
    instance.worker.on('error', onCrash);
    instance.worker.on('exit', onExit);
    if (pending.killAfter === 0) setImmediate(() => kill('before', 'before it ran'));
    else instance.worker.postMessage(pending.message);
  }

  private retire(instance: Instance) {
    const i = this.instances.indexOf(instance);
    if (i >= 0) this.instances.splice(i, 1);
    void instance.worker.terminate();
  }

  async close() {
    await Promise.all(this.instances.splice(0).map((i) => i.worker.terminate()));
  }
}

/**
 * Runs the built bundles in `cloudfunctions/<name>/index.js` like CloudBase: an instance pool per
 * function (bounded), the timeout from `config.json`, CloudBase's error when a function throws or
 * times out, cold and warm starts counted, and every invocation recorded with the DB requests it made.
 */
export class FunctionRuntime {
  private readonly pools = new Map<string, FunctionPool>();
  private readonly records = new Map<string, InvocationRecord>();
  private readonly environments = new Map<string, Record<string, string>>();
  /** invocations with a kill planned, until they settle */
  private readonly doomed = new Map<string, Pending>();

  constructor(private readonly options: RuntimeOptions) {}

  private pool(name: string): FunctionPool {
    const existing = this.pools.get(name);
    if (existing) return existing;
    if (!/^[A-Za-z][A-Za-z0-9_-]{0,59}$/.test(name)) throw new CloudBaseError('INVALID_PARAM', `invalid function name "${name}"`);
    const dirs = this.options.functionsDirs.map((d) => join(d, name));
    const dir = dirs.find((d) => existsSync(join(d, 'index.js')));
    if (!dir) {
      // CloudBase's wording, which SDK users search for; the source without a bundle is this emulator's own case.
      const unbuilt = dirs.some((d) => existsSync(join(d, 'index.ts')));
      throw new CloudBaseError(
        'FUNCTIONS_EXECUTE_FAIL',
        unbuilt
          ? `FunctionName parameter could not be found: function ${name} is not built (index.ts without index.js); run npm run build`
          : `FunctionName parameter could not be found: function ${name} does not exist`,
      );
    }
    const bundle = join(dir, 'index.js');
    const configFile = join(dir, 'config.json');
    const config = existsSync(configFile) ? (JSON.parse(readFileSync(configFile, 'utf8')) as FunctionConfig) : {};
    const pool = new FunctionPool(name, bundle, config, this.options, () => this.environments.get(name) ?? {});
    this.pools.set(name, pool);
    return pool;
  }

  /** Every function with a built bundle, in any of the functions folders. */
  functionNames(): string[] {
    const names = this.options.functionsDirs.flatMap((dir) =>
      existsSync(dir) ? readdirSync(dir).filter((name) => existsSync(join(dir, name, 'index.js'))) : [],
    );
    return [...new Set(names)].sort();
  }

  config(name: string): FunctionConfig {
    return this.pool(name).config;
  }

  /**
   * Adds environment variables to a function, as the console's 函数配置 > 环境变量 does (a service
   * hands its sandbox credentials to the functions the project configures with them). Instances
   * started afterwards see them; set them before the first invocation.
   */
  addEnvironment(name: string, variables: Record<string, string>) {
    this.environments.set(name, { ...this.environments.get(name), ...variables });
  }

  /** Invokes a function; resolves to its JSON-encoded return value (`response_data`). */
  invoke(name: string, event: unknown, caller: Caller = {}): { record: InvocationRecord; done: Promise<string> } {
    const pool = this.pool(name);
    const id = randomBytes(8).toString('hex');
    const record: InvocationRecord = {
      id,
      functionName: name,
      openid: caller.openid,
      uid: caller.uid,
      coldStart: false,
      startedAt: Date.now(),
      dbRequests: 0,
      status: 'running',
      logs: [],
      logsTruncated: false,
    };
    this.remember(record);
    const wx = Object.fromEntries(
      Object.entries({
        WX_OPENID: caller.openid,
        WX_APPID: caller.openid ? (caller.appid ?? this.options.appId) : undefined,
        WX_UNIONID: caller.unionid,
        WX_SOURCE: caller.source ?? (caller.openid ? 'wx_client' : undefined),
        WX_ENV: this.options.envId,
      }).filter((entry): entry is [string, string] => !!entry[1]),
    );
    // A web caller's identity, as CloudBase passes it: variables named by TCB_CONTEXT_KEYS, which node-sdk's
    // getCloudbaseContext() collects. Set on every invocation, so a warm instance never keeps the last caller's.
    const tcb = Object.fromEntries(
      Object.entries({
        TCB_ENV: this.options.envId,
        SCF_NAMESPACE: this.options.envId,
        TCB_UUID: caller.uid,
        TCB_SOURCE: caller.uid ? 'web' : undefined,
        LOGINTYPE: caller.uid ? (caller.loginType ?? 'USERNAME') : undefined,
        TCB_ISANONYMOUS_USER: caller.uid ? 'false' : undefined,
      }).filter((entry): entry is [string, string] => !!entry[1]),
    );
    const env = {
      ...wx,
      WX_CONTEXT_KEYS: Object.keys(wx).join(','),
      ...tcb,
      TCB_CONTEXT_KEYS: Object.keys(tcb).join(','),
      TCB_CONTEXT_CNFG: JSON.stringify({ URL: `${this.options.adminUrl}?invocation=${id}&` }),
    };
    const timeLimitMs = (pool.config.timeout ?? DEFAULT_TIMEOUT_S) * 1000;
    const context = {
      callbackWaitsForEmptyEventLoop: false,
      memory_limit_in_mb: 256,
      time_limit_in_ms: timeLimitMs,
      request_id: id,
      function_name: name,
      function_version: '$LATEST',
      namespace: this.options.envId,
      environment: JSON.stringify(env),
    };
    const killAfter = this.options.faults?.planKill(name);
    const done = new Promise<string>((resolve, reject) => {
      const pending: Pending = { message: { id, event, context, env }, record, resolve, reject, killAfter };
      if (killAfter !== undefined) this.doomed.set(id, pending);
      pool.submit(pending);
    });
    if (killAfter !== undefined) {
      const forget = () => void this.doomed.delete(id);
      done.then(forget, forget);
    }
    return { record, done };
  }

  record(id: string) {
    return this.records.get(id);
  }

  /** The latest invocations, newest first. */
  recent(limit: number): InvocationRecord[] {
    const all = [...this.records.values()];
    return all.slice(Math.max(0, all.length - limit)).reverse();
  }

  /**
   * Whether the function whose SDK made an admin call may call open API `api` (e.g.
   * 'subscribeMessage.send', 'cloudPay.unifiedOrder'): as in the cloud, only those its config.json
   * lists in `permissions.openapi`.
   */
  openApiPermission(invocationId: string | null, api: string): 'outside-function' | 'allowed' | 'denied' {
    const functionName = invocationId ? this.records.get(invocationId)?.functionName : undefined;
    if (!functionName) return 'outside-function';
    return (this.config(functionName).permissions?.openapi ?? []).includes(api) ? 'allowed' : 'denied';
  }

  /**
   * Counts a database request against the invocation whose SDK made it, and says whether fault
   * injection kills the instance once it is applied (see DbRequestFate).
   */
  countDbRequest(invocationId: string | null): DbRequestFate {
    const record = invocationId ? this.records.get(invocationId) : undefined;
    if (!record) return 'apply';
    const pending = this.doomed.get(record.id);
    // A request still in flight from a killed instance: it dies with the instance.
    if (record.status === 'killed' || pending?.dying) return 'drop';
    record.dbRequests++;
    if (pending?.kill && record.dbRequests === pending.killAfter) {
      pending.dying = true;
      return 'apply-then-kill';
    }
    return 'apply';
  }

  /** Kills the instance whose DB request was answered 'apply-then-kill', now that the database applied it. */
  killAfterDbRequest(invocationId: string) {
    const pending = this.doomed.get(invocationId);
    const n = pending?.record.dbRequests ?? 0;
    pending?.kill?.('between', `after ${n} DB request${n === 1 ? '' : 's'}`);
  }

  stats() {
    return [...this.pools.values()].map((p) => ({
      name: p.name,
      coldStarts: p.coldStarts,
      warmStarts: p.warmStarts,
      peakInstances: p.peakInstances,
      maxInstances: this.options.maxInstancesPerFunction,
    }));
  }

  private remember(record: InvocationRecord) {
    this.records.set(record.id, record);
    if (this.records.size > RECORDS_KEPT) this.records.delete(this.records.keys().next().value!);
  }

  async close() {
    await Promise.all([...this.pools.values()].map((p) => p.close()));
  }
}
