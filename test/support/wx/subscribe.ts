/**
 * `wx.requestSubscribeMessage` for the mini-program harness: the learner's answer to the subscription
 * dialog goes to the emulator's gateway, which records the subscriptions that
 * `cloud.openapi.subscribeMessage.send` then uses (one message per one-time acceptance). The learner
 * accepts every template unless a test says otherwise with `answerSubscribeDialog`.
 */
import { postJson } from './http';

export interface SubscribeSession {
  readonly gatewayUrl: string;
  readonly openid: string;
  track<T>(work: Promise<T>): Promise<T>;
}

/** What the harness lends: its callback-or-promise convention and the error pages receive. */
export interface SubscribeKit {
  asyncApi(param: Record<string, unknown> | undefined, work: Promise<unknown>): Promise<unknown> | undefined;
  CloudError: new (errCode: number, errMsg: string) => Error;
}

let answer: boolean | string[] = true;

/** What the learner answers to the next dialogs: accept all, refuse all, or accept only these template ids. */
export function answerSubscribeDialog(accept: boolean | string[]) {
  answer = accept;
}


export function wxSubscribe(session: SubscribeSession, { asyncApi, CloudError }: SubscribeKit) {
  answer = true;
  async function requestSubscribeMessage(tmplIds: unknown): Promise<Record<string, unknown>> {
    let reply: { status: number; body: Record<string, unknown> };
    try {
      reply = await postJson(`${session.gatewayUrl}/gateway/subscribeMessage`, { openid: session.openid, tmplIds, accept: answer });
    } catch (e) {
      throw new CloudError(10002, `requestSubscribeMessage:fail request:fail ${(e as Error).message}`);
    }
    // Any other status is the gateway refusing a malformed call: a bug of the harness.
    if (reply.status !== 200) throw new Error(`subscribe gateway answered ${reply.status}: ${JSON.stringify(reply.body)}`);
    if (typeof reply.body.errCode === 'number') throw new CloudError(reply.body.errCode, String(reply.body.errMsg));
    return reply.body;
  }
  return {
    requestSubscribeMessage: (param: Record<string, unknown> & { tmplIds?: unknown }) =>
      asyncApi(param, session.track(requestSubscribeMessage(param.tmplIds))),
  };
}
