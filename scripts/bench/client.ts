/**
 * How the benchmark and the load test talk to the emulator: the real wx-server-sdk, the client gateway
 * (as the mini program) and the control API.
 */
import { Agent, request } from 'node:http';
import type { Reply } from '../../domain/contracts/result';
import { msSince } from './stats';

export type Cloud = typeof import('wx-server-sdk');

interface HttpReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function send(url: string, method: 'GET' | 'POST' | 'PUT', agent: Agent, body?: unknown, extraHeaders: Record<string, string> = {}): Promise<HttpReply> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method,
        agent,
        headers: { ...(payload === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }), ...extraHeaders },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

export interface GatewayCall {
  /** what `wx.cloud.callFunction` resolves to: `{result, requestID}`, or `{errCode, errMsg, requestID}` on failure */
  body: { result?: unknown; errCode?: number; errMsg?: string; requestID?: string };
  invocationId: string;
  dbRequests: number;
  coldStart: boolean;
  /** the whole HTTP round trip, as the caller sees it */
  latencyMs: number;
}

/** An invocation as the emulator recorded it (`GET /__emulator/invocations/:id`). */
export interface InvocationRecord {
  functionName: string;
  coldStart: boolean;
  /** from the gateway receiving the call to the function's answer, whole milliseconds */
  durationMs: number;
  dbRequests: number;
}

/** A cloud pay trade in the sandbox's ledger. */
export interface PayTrade {
  outTradeNo: string;
  openid: string;
  totalFee: number;
  state: 'NOTPAY' | 'SUCCESS' | 'CLOSED';
}

/** A cloud pay refund in the sandbox's ledger. */
export interface PayRefund {
  outRefundNo: string;
  outTradeNo: string;
  refundFee: number;
  status: 'PROCESSING' | 'SUCCESS' | 'REFUNDCLOSE';
}

/** The emulator's fault injection (`GET /__emulator/faults`): what it is set to, and what it did so far. */
export interface FaultReport {
  settings: { killInvocations: number; providerFailures: number; providerTimeoutMs: number; functions?: string[]; seed?: number };
  counters: {
    invocationsKilled: { total: number; byPoint: { before: number; between: number; after: number }; byFunction: Record<string, number> };
    providerFailures: { total: number; byKind: { systemError: number; timeout: number }; byApi: Record<string, number> };
    providerCalls: { total: number; byApi: Record<string, number> };
  };
}

/** One notification in the sandbox's ledger; `key` is the trade's outTradeNo for a payment. */
export interface PayDelivery {
  id: string;
  kind: 'payment' | 'refund' | 'virtualPayment';
  key: string;
  status: 'pending' | 'delivered' | 'failed' | 'dropped';
  /** `at`: when the function answered (ms since the epoch, the emulator's clock) */
  attempts: Array<{ at: number; invocationId?: string; outcome: 'acknowledged' | 'refused' | 'failed'; result?: unknown; error?: string }>;
}

/** How the sandbox notifies a payment (README, "Sandbox controls"). */
export interface SandboxDelivery {
  duplicates?: number;
  delayMs?: number;
  deliver?: boolean;
}

export interface EmulatorStats {
  functions: Array<{ name: string; coldStarts: number; warmStarts: number; peakInstances: number; maxInstances: number }>;
  collections: Record<string, { requests: number; docsExamined: number }>;
  /** payment providers' server API calls the functions made, by API (`cloudPay.queryOrder`, `xpay/query_order`...) */
  providerCalls: FaultReport['counters']['providerCalls'];
}

export class EmulatorClient {
  /** One connection reused call after call, as a learner's mini program keeps its connection alive. */
  private readonly keepAlive = new Agent({ keepAlive: true, maxSockets: 1 });

  constructor(readonly url: string) {}

  /**
   * Calls a function as a learner would (`wx.cloud.callFunction`); an answer with an `errCode` (the
   * function threw or timed out) is an error. Pass `agent` to control the connections (the default
   * reuses a single one).
   */
  async callFunction(name: string, openid: string, data: Record<string, unknown> = {}, agent = this.keepAlive): Promise<GatewayCall> {
    const start = process.hrtime.bigint();
    const reply = await send(`${this.url}/gateway/callFunction`, 'POST', agent, { name, openid, data });
    const latencyMs = msSince(start);
    if (reply.status !== 200) throw new Error(`gateway answered ${reply.status}: ${reply.body}`);
    const body = JSON.parse(reply.body) as GatewayCall['body'];
    if (body.errCode !== undefined) throw new Error(`${name} failed: ${body.errMsg}`);
    return {
      body,
      invocationId: String(reply.headers['x-invocation-id']),
      dbRequests: Number(reply.headers['x-db-requests']),
      coldStart: reply.headers['x-cold-start'] === 'true',
      latencyMs,
    };
  }

  /** `callFunction` for a call that must succeed: the function's data and the DB requests it made; a refusal throws with its code and message. */
  async callOk<T>(name: string, openid: string, data: Record<string, unknown> = {}, agent = this.keepAlive): Promise<{ data: T; dbRequests: number }> {
    const reply = await this.callFunction(name, openid, data, agent);
    const result = reply.body.result as Reply<T>;
    if (!result.ok) throw new Error(`${name} answered ${result.code}: ${result.message}`);
    return { data: result.data, dbRequests: reply.dbRequests };
  }

  createCollection(name: string, indexes: Array<{ keys: Record<string, 1 | -1>; unique?: boolean }>) {
    return this.control('POST', '/collections', { name, indexes });
  }

  stats() {
    return this.control<EmulatorStats>('GET', '/stats');
  }

  invocation(id: string) {
    return this.control<InvocationRecord>('GET', `/invocations/${id}`);
  }

  /** The cloud pay sandbox: the learner pays the trade; answers once the first notification attempt is over. */
  payTrade(outTradeNo: string, sandbox: SandboxDelivery = {}) {
    return this.control<{ deliveries: string[] }>('POST', `/pay/trades/${encodeURIComponent(outTradeNo)}/pay`, sandbox);
  }

  /**
   * `wx.requestPayment(payment)` as the mini-program harness calls it: the learner pays in the cloud pay
   * sandbox, `sandbox` shapes the notification. Answers `{errMsg}` once the first notification attempt is over.
   */
  async requestPayment(openid: string, payment: Record<string, unknown>, sandbox: SandboxDelivery = {}, agent = this.keepAlive): Promise<{ errMsg: string }> {
    const reply = await send(`${this.url}/gateway/requestPayment`, 'POST', agent, { openid, payment, sandbox });
    if (reply.status !== 200) throw new Error(`requestPayment gateway answered ${reply.status}: ${reply.body}`);
    return JSON.parse(reply.body) as { errMsg: string };
  }

  /** `wx.login` as the mini-program harness calls it: a code for the learner that `jscode2session` exchanges. */
  async login(openid: string): Promise<string> {
    const reply = await send(`${this.url}/gateway/login`, 'POST', this.keepAlive, { openid });
    if (reply.status !== 200) throw new Error(`login gateway answered ${reply.status}: ${reply.body}`);
    return (JSON.parse(reply.body) as { code: string }).code;
  }

  /** `wx.requestVirtualPayment(params)` as the harness calls it; answers `{errMsg}` once the delivery's first attempt is over. */
  async requestVirtualPayment(openid: string, params: Record<string, unknown>): Promise<{ errMsg: string }> {
    const reply = await send(`${this.url}/gateway/requestVirtualPayment`, 'POST', this.keepAlive, { openid, ...params });
    if (reply.status !== 200) throw new Error(`requestVirtualPayment gateway answered ${reply.status}: ${reply.body}`);
    return JSON.parse(reply.body) as { errMsg: string };
  }

  /** The pay sandbox's trades, refunds and notification deliveries, each attempt with the invocation that handled it. */
  payLedger() {
    return this.control<{ trades: PayTrade[]; refunds: PayRefund[]; deliveries: PayDelivery[] }>('GET', '/pay/ledger');
  }

  /** The emulator's fault injection: its settings and counters. */
  faults() {
    return this.control<FaultReport>('GET', '/faults');
  }

  /** Sets the emulator's fault injection (`{}`: off). */
  setFaults(settings: Partial<FaultReport['settings']>) {
    return this.control<FaultReport>('PUT', '/faults', settings);
  }

  /**
   * Cloud pay completes a refund (`POST /__emulator/pay/refunds/:outRefundNo/complete`; cloud.config.json
   * sets no `refundAutoCompleteMs`): the money goes back and refundNotify is notified. Answers once the first
   * notification attempt is over.
   */
  completeRefund(outRefundNo: string, sandbox: SandboxDelivery = {}) {
    return this.control<{ refund: PayRefund; deliveries: string[] }>('POST', `/pay/refunds/${encodeURIComponent(outRefundNo)}/complete`, sandbox);
  }

  /**
   * Signs in as one of the emulator's console accounts (cloud.config.json `webAuth`) as the creator console
   * does; answers the bearer token for `callAsStaff`.
   */
  async signIn(username: string, password: string): Promise<string> {
    const reply = await send(`${this.url}/auth/v1/signin`, 'POST', this.keepAlive, { username, password });
    const body = JSON.parse(reply.body) as { access_token?: string; error_description?: string };
    if (reply.status !== 200 || !body.access_token) throw new Error(`sign-in as ${username} failed: ${reply.status} ${body.error_description ?? reply.body}`);
    return body.access_token;
  }

  /** Calls an admin function as the console does (`POST /v1/functions/:name` with the bearer token); a refusal throws. */
  async callAsStaff<T>(token: string, name: string, data: Record<string, unknown> = {}): Promise<{ data: T; dbRequests: number }> {
    const reply = await send(`${this.url}/v1/functions/${name}`, 'POST', this.keepAlive, data, { authorization: `Bearer ${token}` });
    if (reply.status !== 200) throw new Error(`${name} (staff): ${reply.status} ${reply.body}`);
    const result = JSON.parse(reply.body) as Reply<T>;
    if (!result.ok) throw new Error(`${name} (staff) answered ${result.code}: ${result.message}`);
    return { data: result.data, dbRequests: Number(reply.headers['x-db-requests']) };
  }

  async payDeliveries() {
    return (await this.payLedger()).deliveries;
  }

  private async control<T>(method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown): Promise<T> {
    const reply = await send(`${this.url}/__emulator${path}`, method, this.keepAlive, body);
    if (reply.status !== 200) throw new Error(`${method} /__emulator${path}: ${reply.status} ${reply.body}`);
    return JSON.parse(reply.body) as T;
  }

  close() {
    this.keepAlive.destroy();
  }
}
