import * as cloud from 'wx-server-sdk';
import * as z from '../domain/contracts/schema';
import { database, type Database } from './database';
import { payments, type Payments } from './payments';
import { settings } from './settings';
import { storage, type Storage } from './storage';
import type { Reply } from '../domain/contracts/result';
import { DomainError } from '../domain/errors';

// The SDK's typings say `env` is a string, but DYNAMIC_CURRENT_ENV (a symbol) is its documented value.
cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV as unknown as string });

export interface Caller {
  /** set when a learner calls from the mini program; absent for timers, callbacks and other functions */
  openid?: string;
}

export interface FunctionContext {
  caller: Caller;
  db: Database;
  files: Storage;
  /** the payment providers configured for this environment */
  payments: Payments;
  now: Date;
}

/** The CloudBase environment the function runs in (`getWXContext().ENV`). */
function currentEnv(context: ReturnType<typeof cloud.getWXContext>): string {
  if (!context.ENV) throw new Error('getWXContext() has no ENV: not running in a CloudBase environment');
  return context.ENV;
}

interface Definition<S extends z.ZodMiniType, T> {
  input: S;
  /**
   * 'learner': only a learner calling from the mini program; 'platform': only the platform (a timer,
   * a payment or message-push callback, another function), never a learner; 'any': both.
   */
  caller: 'learner' | 'platform' | 'any';
  run: (input: z.output<S>, ctx: FunctionContext) => Promise<T>;
}

function describeIssues(error: z.core.$ZodError): string {
  return error.issues.map((i) => (i.path.length ? `${i.path.join('.')}：${i.message}` : i.message)).join('；');
}

/**
 * A cloud function's whole shape: validate the input with its contract's schema, take identity from
 * `getWXContext()` (never from the request), run the domain, and answer with a `Reply`. Unexpected
 * errors are logged and answered without internals.
 */
export function defineFunction<S extends z.ZodMiniType, T>(def: Definition<S, T>) {
  return async function main(event: Record<string, unknown>): Promise<Reply<T>> {
    const { userInfo: _userInfo, ...payload } = event ?? {};
    const context = cloud.getWXContext();
    const caller: Caller = context.OPENID ? { openid: String(context.OPENID) } : {};
    if (def.caller === 'learner' && !caller.openid) {
      return { ok: false, code: 'UNAUTHENTICATED', message: '请在微信小程序中登录后再试' };
    }
    if (def.caller === 'platform' && caller.openid) return { ok: false, code: 'FORBIDDEN', message: '无权调用' };
    const parsed = def.input.safeParse(payload);
    if (!parsed.success) return { ok: false, code: 'INVALID_INPUT', message: `参数错误：${describeIssues(parsed.error)}` };
    try {
      const data = await def.run(parsed.data, {
        caller,
        db: database(cloud),
        files: storage(cloud),
        // Built on use: most functions never pay.
        get payments() {
          return payments(cloud, settings, currentEnv(context));
        },
        now: new Date(),
      });
      return { ok: true, data };
    } catch (e) {
      if (e instanceof DomainError) return { ok: false, code: e.code, message: e.message };
      console.error(e);
      return { ok: false, code: 'INTERNAL', message: '服务繁忙，请稍后再试' };
    }
  };
}

/** What a payment callback answers: `{errcode: 0}` stops the provider's retries; anything else asks for another try. */
export interface CallbackAnswer {
  errcode: number;
  errmsg: string;
}

/**
 * A provider's callback function (cloud pay's payment notification): reachable only as a callback, so a
 * learner invoking it from the mini program (an OPENID in its context) is refused without effect. It
 * answers `{errcode: 0}` once it handled the event; an unexpected error is logged and answered with
 * another errcode, so the provider delivers the event again.
 */
export function defineCallback(handle: (event: Record<string, unknown>, ctx: { db: Database; now: Date }) => Promise<string>) {
  return async function main(event: Record<string, unknown>): Promise<CallbackAnswer> {
    const { OPENID } = cloud.getWXContext();
    if (OPENID) {
      console.warn(`callback invoked by a learner (${String(OPENID)}): refused`);
      return { errcode: 403, errmsg: 'callbacks are not callable from the mini program' };
    }
    try {
      return { errcode: 0, errmsg: await handle(event ?? {}, { db: database(cloud), now: new Date() }) };
    } catch (e) {
      console.error(e);
      return { errcode: 500, errmsg: 'internal error, deliver again' };
    }
  };
}
