import { randomBytes } from 'node:crypto';
import { readSdkEnv } from '../../emulator/src/launcher';
import { connectSdk as connect } from '../../emulator/src/sdk';
import { database } from '../../server/database';

/** The real wx-server-sdk, pointed at the test emulator, with the typed database API. */
export function connectSdk() {
  const cloud = connect(readSdkEnv(process.env.EMULATOR_DATA!));
  return {
    cloud,
    database: () => database(cloud),
    /** `cloud.callFunction` as a script or another function calls it (no learner identity) */
    callFunction: async (name: string, data: Record<string, unknown> = {}) =>
      (await cloud.callFunction({ name, data })) as { result: unknown; requestID: string },
  };
}

export const emulatorUrl = () => process.env.EMULATOR_URL!;

/** A collection name no other test uses. */
export const uniqueName = (prefix: string) => `${prefix}_${randomBytes(4).toString('hex')}`;

export async function control<T = unknown>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${emulatorUrl()}/__emulator${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

export interface GatewayReply<T> {
  body: { result?: T; errCode?: number; errMsg?: string; requestID: string };
  invocationId: string;
  dbRequests: number;
  coldStart: boolean;
}

/** Calls a function as a learner from the mini program would (`wx.cloud.callFunction`). */
export async function callAs<T = unknown>(openid: string, name: string, data: Record<string, unknown> = {}): Promise<GatewayReply<T>> {
  const res = await fetch(`${emulatorUrl()}/gateway/callFunction`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name, openid, data }),
  });
  if (!res.ok) throw new Error(`gateway: ${res.status} ${await res.text()}`);
  return {
    body: (await res.json()) as GatewayReply<T>['body'],
    invocationId: res.headers.get('x-invocation-id')!,
    dbRequests: Number(res.headers.get('x-db-requests')),
    coldStart: res.headers.get('x-cold-start') === 'true',
  };
}

/** Polls `probe` until `done` says so or `timeoutMs` passes; answers the last value either way. */
export async function waitFor<T>(probe: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 25));
  }
}
