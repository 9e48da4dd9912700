import { randomBytes } from 'node:crypto';

/** A WeChat open API's error answer `{errcode, errmsg}`; wx-server-sdk rejects with `errCode = errcode`. */
export class WxError extends Error {
  constructor(
    readonly errcode: number,
    message: string,
  ) {
    super(message);
  }
}

/** What an open API answers: JSON (`errcode: 0` is added), or bytes such as an image. */
export type WxReply = { json: Record<string, unknown> } | { raw: Buffer; contentType: string };

export interface ApiCall {
  /** the parameters by their snake_case names, JSON-decoded */
  params: Record<string, unknown>;
  /** the cloud function calling */
  functionName: string;
}

export type OpenApi = (call: ApiCall) => WxReply | Promise<WxReply>;

/** WeChat's request id, appended to every errmsg: `rid: 64e41852-5c2e1227-2885cbfa`. */
export const rid = () => [4, 4, 4].map((n) => randomBytes(n).toString('hex')).join('-');

export const invalidArgs = (detail: string) => new WxError(40097, `invalid args: ${detail}`);

/** An optional parameter that must be an integer in `allowed` when given. */
export function intParam(params: Record<string, unknown>, key: string, allowed: readonly number[]): number | undefined {
  const value = params[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !allowed.includes(value)) throw invalidArgs(`${key} must be one of ${allowed.join(', ')}`);
  return value;
}

/** A parameter that must be a non-empty string. */
export function stringParam(params: Record<string, unknown>, key: string, error: () => WxError): string {
  const value = params[key];
  if (typeof value !== 'string' || !value) throw error();
  return value;
}
