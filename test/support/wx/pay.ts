/**
 * `wx.requestPayment` and `wx.requestVirtualPayment` for the mini-program harness: the session's learner
 * pays in the emulator's sandboxes (README, "Sandbox controls"), which notify the product's functions as
 * WeChat would. The learner completes every payment unless a test sets up the next one with `nextPayment`.
 */
import { postJson } from './http';

export interface PaySession {
  readonly gatewayUrl: string;
  readonly openid: string;
  track<T>(work: Promise<T>): Promise<T>;
}

/** What the harness lends: its callback-or-promise convention and the error pages receive. */
export interface PayKit {
  asyncApi(param: Record<string, unknown> | undefined, work: Promise<unknown>): Promise<unknown> | undefined;
  CloudError: new (errCode: number, errMsg: string) => Error;
}

/** How the next payment goes: the learner cancels it, or its notification is duplicated, late or lost. */
export interface NextPayment {
  cancel?: boolean;
  duplicates?: number;
  delayMs?: number;
  deliver?: boolean;
}

let next: NextPayment = {};

/** Sets up the next `wx.requestPayment` or `wx.requestVirtualPayment` only. */
export function nextPayment(how: NextPayment) {
  next = how;
}


export function wxPay(session: PaySession, { asyncApi, CloudError }: PayKit) {
  next = {};
  async function pay(api: 'requestPayment' | 'requestVirtualPayment', body: Record<string, unknown>): Promise<Record<string, unknown>> {
    const { cancel, ...sandbox } = next;
    next = {};
    if (cancel) throw new CloudError(-1, `${api}:fail cancel`);
    let reply: { status: number; body: Record<string, unknown> };
    try {
      reply = await postJson(`${session.gatewayUrl}/gateway/${api}`, { ...body, openid: session.openid, sandbox });
    } catch (e) {
      throw new CloudError(-1, `${api}:fail request:fail ${(e as Error).message}`);
    }
    // Any other status is the gateway refusing a malformed call: a bug of the harness.
    if (reply.status !== 200) throw new Error(`${api} gateway answered ${reply.status}: ${JSON.stringify(reply.body)}`);
    const errMsg = String(reply.body.errMsg);
    if (!errMsg.endsWith(':ok')) throw new CloudError(typeof reply.body.errCode === 'number' ? reply.body.errCode : -1, errMsg);
    return reply.body;
  }
  return {
    requestPayment: (param: Record<string, unknown>) => {
      const { success: _s, fail: _f, complete: _c, ...payment } = param;
      return asyncApi(param, session.track(pay('requestPayment', { payment })));
    },
    requestVirtualPayment: (param: Record<string, unknown>) =>
      asyncApi(
        param,
        session.track(pay('requestVirtualPayment', { signData: param.signData, paySig: param.paySig, signature: param.signature, mode: param.mode })),
      ),
  };
}
