import * as z from 'zod/mini';
import type { EmulatorContext } from './service';

/**
 * Message push (消息推送): platform events (virtual payment delivery, media check results...) go to the
 * cloud function the project routes them to, configured in `cloud.config.json`:
 *   "messagePush": { "xpay_goods_deliver_notify": "xpayNotify", "wxa_media_check": "mediaCheckNotify" }
 */
const routesSchema = z.record(z.string(), z.string().check(z.minLength(1)));

export function pushRoutes(ctx: EmulatorContext): Record<string, string> {
  const parsed = routesSchema.safeParse(ctx.config.messagePush ?? {});
  if (!parsed.success) throw new Error(`cloud.config.json messagePush must map event names to function names: ${parsed.error.message}`);
  return parsed.data;
}

export interface PushOutcome {
  functionName: string;
  invocationId: string;
  /** what the function returned (JSON), or why it failed */
  result?: unknown;
  error?: string;
}

/**
 * Delivers one event the way WeChat's message push does to a cloud function: the event fields at the
 * top level of the function's event, with `ToUserName`, `FromUserName` (the learner's openid),
 * `CreateTime`, `MsgType: 'event'` and `Event`. Resolves with what the function answered; the caller
 * decides about retries.
 */
export async function pushEvent(
  ctx: EmulatorContext,
  event: string,
  fields: Record<string, unknown> & { FromUserName?: string },
): Promise<PushOutcome> {
  const functionName = pushRoutes(ctx)[event];
  if (!functionName) throw new Error(`no message push route for ${event}: add it to cloud.config.json messagePush`);
  const payload = { ToUserName: ctx.appId, CreateTime: Math.floor(Date.now() / 1000), MsgType: 'event', Event: event, ...fields };
  const { record, done } = ctx.runtime.invoke(functionName, payload);
  try {
    return { functionName, invocationId: record.id, result: JSON.parse(await done) as unknown };
  } catch (e) {
    return { functionName, invocationId: record.id, error: (e as Error).message };
  }
}
