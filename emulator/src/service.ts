import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SecurityRules } from './client-db/rules';
import type { DatabaseEngine } from './database/engine';
import type { Store } from './database/store';
import type { FaultInjector } from './faults/injector';
import type { FunctionRuntime } from './functions/runtime';

/** A call of the CloudBase admin API (`POST /admin`), as wx-server-sdk makes it. */
export interface AdminCall {
  action: string;
  /** JSON body fields, or multipart fields (`wx.*` actions): strings, and Buffers for binary parts */
  params: Record<string, unknown>;
  /** the invocation whose SDK made the call (null for scripts and tests) */
  invocationId: string | null;
}

/** A JSON body, or raw bytes with their content type (open APIs answer protobuf, cloud pay raw JSON). */
export type AdminReply = Record<string, unknown> | { raw: Buffer; contentType: string };

export interface Route {
  method: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'DELETE' | 'OPTIONS';
  path: RegExp;
  handle(request: RouteRequest, res: ServerResponse): Promise<void>;
}

export interface RouteRequest {
  req: IncomingMessage;
  url: URL;
  /** the path's capture groups */
  match: RegExpExecArray;
  body: Buffer;
}

/** One cloud service of the emulator (storage, cloud pay, open APIs...): its admin actions and HTTP routes. */
export interface Service {
  actions?: Record<string, (call: AdminCall) => Promise<AdminReply>>;
  routes?: Route[];
  close?(): Promise<void>;
}

export interface EmulatorContext {
  /** base URL, e.g. http://127.0.0.1:9911 */
  url: string;
  envId: string;
  appId: string;
  /** the emulator's data folder (`<data>/db` is the database) */
  dataDir: string;
  /** `cloud.config.json`: what the product configures in the WeChat and CloudBase consoles */
  config: Record<string, unknown>;
  /** the folder of `cloud.config.json`: its relative paths (static hosting's sites) start there */
  configDir: string;
  store: Store;
  engine: DatabaseEngine;
  runtime: FunctionRuntime;
  /** each collection's security rules, for client (mini-program) database requests */
  securityRules: SecurityRules;
  /** fault injection: killed instances (the runtime) and failing provider calls (the payment services) */
  faults: FaultInjector;
}
