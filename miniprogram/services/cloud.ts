/**
 * The mini program's one way to reach the backend: every cloud function call goes through
 * `callFunction`, which unwraps the `Reply<T>` envelope and turns every failure into a `ServiceError`
 * whose message can be shown to the learner as is.
 *
 * Only types come from domain/ (`import type`): the mini program package must never bundle server code.
 */
import type { ErrorCode, Reply } from '../../domain/contracts/result';
import { transport } from './transport/index';

/**
 * A value as it arrives after crossing the wire as JSON: `Date` fields of a contract arrive as ISO
 * strings, so the client sees them as strings and cannot call date methods on them by mistake. (A mapped
 * type keeps arrays and tuples as they are.)
 */
export type Jsonified<T> = T extends Date ? string : T extends object ? { [K in keyof T]: Jsonified<T[K]> } : T;

/** The function's own codes, plus `NETWORK` when the call never got an answer. */
export type ServiceErrorCode = ErrorCode | 'NETWORK';

export class ServiceError extends Error {
  readonly code: ServiceErrorCode;
  /** What the platform reported, for debugging; never shown to the learner. */
  readonly detail: unknown;

  constructor(code: ServiceErrorCode, message: string, detail?: unknown) {
    super(message);
    this.name = 'ServiceError';
    this.code = code;
    this.detail = detail;
  }
}

/** What a failed call tells the learner: the service's own message, or `fallback` for anything unexpected. */
export const messageOf = (e: unknown, fallback = '加载失败，请稍后重试') => (e instanceof ServiceError ? e.message : fallback);

export const NETWORK_MESSAGE = '网络不稳定，请稍后重试';
export const UNAVAILABLE_MESSAGE = '服务暂时不可用，请稍后重试';

/**
 * A function call rejects with `{errCode, errMsg}` (`wx.cloud.callFunction`, or the local transport alike). CloudBase's own codes (-404011 function
 * execution error, -504002 functions execute fail, -501xxx invalid call...) mean the request arrived
 * and the backend failed; anything else (no code, -1 `request:fail`, a timeout) is the network.
 */
function fromPlatformFailure(failure: unknown): ServiceError {
  const errCode = typeof failure === 'object' && failure !== null ? (failure as { errCode?: unknown }).errCode : undefined;
  if (typeof errCode === 'number' && errCode <= -400000) return new ServiceError('INTERNAL', UNAVAILABLE_MESSAGE, failure);
  return new ServiceError('NETWORK', NETWORK_MESSAGE, failure);
}

function isReply(value: unknown): value is Reply<unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const reply = value as { ok?: unknown; code?: unknown; message?: unknown };
  return reply.ok === true || (reply.ok === false && typeof reply.code === 'string' && typeof reply.message === 'string');
}

/** Calls cloud function `name` as the current learner and returns its data, or throws a `ServiceError`. */
export async function callFunction<Req extends object, Res>(name: string, data: Req): Promise<Jsonified<Res>> {
  let result: unknown;
  try {
    result = await transport().callFunction(name, data);
  } catch (failure) {
    throw fromPlatformFailure(failure);
  }
  if (!isReply(result)) throw new ServiceError('INTERNAL', UNAVAILABLE_MESSAGE, result);
  const reply = result as Reply<Jsonified<Res>>;
  if (!reply.ok) throw new ServiceError(reply.code, reply.message);
  return reply.data;
}
