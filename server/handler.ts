import { getCloudbaseContext } from '@cloudbase/node-sdk';
import * as cloud from 'wx-server-sdk';
import * as z from '../domain/contracts/schema';
import { database, type Database } from './database';
import { messages, type Messages } from './messages';
import { payments, type Payments } from './payments';
import { miniProgramCodes, type MiniProgramCodes } from './codes';
import { contentSecurity, type ContentSecurity } from './security';
import { settings } from './settings';
import { storage, type Storage } from './storage';
import type { Reply } from '../domain/contracts/result';
import { DomainError } from '../domain/errors';
import { allows, teacherScoped, type Action, type Role } from '../domain/staff/roles';
import { STAFF, type StaffMember } from '../domain/staff/staff';

// The SDK's typings say `env` is a string, but DYNAMIC_CURRENT_ENV (a symbol) is its documented value.
cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV as unknown as string });

export interface Caller {
  /** set when a learner calls from the mini program; absent for staff, timers, callbacks and other functions */
  openid?: string;
  /** set for an admin function: the staff member signed in to the console (a CloudBase web user) */
  staff?: { uid: string; name: string };
  /** the staff member's roles, set with `staff` */
  roles?: Role[];
  /**
   * the courses a teacher teaches, set when teacher is the only role of the caller's allowing the function's
   * action (`teacherScoped`): the function shows and changes only those courses' items. Absent: every course.
   */
  courseIds?: string[];
}

export interface FunctionContext {
  caller: Caller;
  db: Database;
  files: Storage;
  /** the payment providers configured for this environment */
  payments: Payments;
  /** subscription messages to learners */
  messages: Messages;
  /** WeChat's verdict on what learners write */
  security: ContentSecurity;
  /** mini-program codes for shares and posters */
  codes: MiniProgramCodes;
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
   * 'learner': only a learner calling from the mini program; `{staff: action}`: only a staff member signed in
   * to the console whose roles allow the action (domain/staff/roles.ts; one more read), never a learner;
   * `{staff: 'member'}`: any active staff member, whatever their roles (the console's own profile);
   * 'platform': only the platform (a timer, a payment or message-push callback, another function), never a
   * learner; 'any': learners and the platform.
   */
  caller: 'learner' | { staff: Action | 'member' } | 'platform' | 'any';
  run: (input: z.output<S>, ctx: FunctionContext) => Promise<T>;
}

/**
 * The console's caller, allowed `action`: the CloudBase web user the platform names (`TCB_UUID`, never a
 * field of the request), with an active `staff` document whose roles allow it.
 */
async function staffAllowed(db: Database, action: Action | 'member'): Promise<Reply<{ uid: string; name: string; roles: Role[]; courseIds?: string[] }>> {
  const uid = getCloudbaseContext().TCB_UUID;
  if (!uid) return { ok: false, code: 'UNAUTHENTICATED', message: '请先登录管理后台' };
  const { data } = await db.collection<StaffMember>(STAFF).where({ _id: uid }).field({ name: true, roles: true, active: true, courseIds: true }).get();
  const member = data[0];
  if (!member?.active || (action !== 'member' && !allows(member.roles, action))) return { ok: false, code: 'FORBIDDEN', message: '无权操作' };
  // A teacher without courses sees nothing of any course.
  const scoped = action !== 'member' && teacherScoped(member.roles, action);
  return { ok: true, data: { uid, name: member.name, roles: member.roles, ...(scoped ? { courseIds: member.courseIds ?? [] } : {}) } };
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
    // A learner's openid never reaches an admin function, whatever the staff collection says.
    if (typeof def.caller === 'object' && caller.openid) return { ok: false, code: 'FORBIDDEN', message: '无权操作' };
    const db = database(cloud);
    try {
      if (typeof def.caller === 'object') {
        const staff = await staffAllowed(db, def.caller.staff);
        if (!staff.ok) return staff;
        const { roles, courseIds, ...who } = staff.data;
        caller.staff = who;
        caller.roles = roles;
        if (courseIds) caller.courseIds = courseIds;
      }
      const parsed = def.input.safeParse(payload);
      if (!parsed.success) return { ok: false, code: 'INVALID_INPUT', message: `参数错误：${describeIssues(parsed.error)}` };
      const data = await def.run(parsed.data, {
        caller,
        db,
        files: storage(cloud),
        // Built on use: most functions never pay.
        get payments() {
          return payments(cloud, settings, currentEnv(context));
        },
        messages: messages(cloud),
        security: contentSecurity(cloud),
        codes: miniProgramCodes(cloud),
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

/** What a callback works with: the providers too, since what a notification claims is checked with them. */
export interface CallbackContext {
  db: Database;
  payments: Payments;
  messages: Messages;
  now: Date;
}

type CallbackHandler = (event: Record<string, unknown>, ctx: CallbackContext) => Promise<string>;

/** Runs a platform callback: refused (no effect) when `refuse` says so, the handler's outcome, or a failure that asks for another delivery. */
function platformCallback<A>(refuse: (context: ReturnType<typeof cloud.getWXContext>) => boolean, handle: CallbackHandler, answer: { handled(outcome: string): A; refused: A; failed: A }) {
  return async function main(event: Record<string, unknown>): Promise<A> {
    const context = cloud.getWXContext();
    if (refuse(context)) {
      console.warn(`callback invoked by a learner (${String(context.OPENID)}): refused`);
      return answer.refused;
    }
    try {
      const ctx: CallbackContext = {
        db: database(cloud),
        get payments() {
          return payments(cloud, settings, currentEnv(context));
        },
        messages: messages(cloud),
        now: new Date(),
      };
      return answer.handled(await handle(event ?? {}, ctx));
    } catch (e) {
      console.error(e);
      return answer.failed;
    }
  };
}

/**
 * A provider's callback function (cloud pay's payment notification): reachable only as a callback, so a
 * learner invoking it from the mini program (an OPENID in its context) is refused without effect. It
 * answers `{errcode: 0}` once it handled the event; an unexpected error is logged and answered with
 * another errcode, so the provider delivers the event again.
 */
export function defineCallback(handle: CallbackHandler) {
  return platformCallback<CallbackAnswer>((context) => !!context.OPENID, handle, {
    handled: (errmsg) => ({ errcode: 0, errmsg }),
    refused: { errcode: 403, errmsg: 'callbacks are not callable from the mini program' },
    failed: { errcode: 500, errmsg: 'internal error, deliver again' },
  });
}

/** What a message push handler answers: `{ErrCode: 0}` stops WeChat's retries; anything else asks for another try. */
export interface MessagePushAnswer {
  ErrCode: number;
  ErrMsg: string;
}

/**
 * A call from the mini program: an OPENID whose call chain starts at the mini program (or says nothing).
 * WeChat's message push may put the event's sender in OPENID (FromUserName, WeChat's own account for
 * xpay deliveries; unconfirmed), so an OPENID alone does not make a learner here.
 */
function fromMiniProgram({ OPENID, SOURCE }: ReturnType<typeof cloud.getWXContext>): boolean {
  if (!OPENID) return false;
  const origin = String(SOURCE ?? '').split(',')[0];
  return origin === '' || origin === 'wx_client' || origin === 'wx_devtools';
}

/**
 * A message push handler (消息推送 to a cloud function, e.g. virtual payment's `xpay_goods_deliver_notify`):
 * like `defineCallback`, refused to a learner calling it from the mini program, and answered as message
 * push expects: `{ErrCode: 0, ErrMsg: 'success'}` once handled (the outcome is logged), another ErrCode
 * on an unexpected error so WeChat delivers the event again.
 */
export function defineMessagePush(handle: CallbackHandler) {
  return platformCallback<MessagePushAnswer>(fromMiniProgram, handle, {
    handled: (outcome) => {
      console.info(`handled: ${outcome}`);
      return { ErrCode: 0, ErrMsg: 'success' };
    },
    refused: { ErrCode: 403, ErrMsg: 'message push handlers are not callable from the mini program' },
    failed: { ErrCode: 500, ErrMsg: 'internal error, deliver again' },
  });
}
