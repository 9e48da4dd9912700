import { pushEvent, type PushOutcome } from '../push';
import type { EmulatorContext } from '../service';
import { intParam, invalidArgs, rid, stringParam, WxError, type ApiCall, type WxReply } from './api';
import type { OpenApiConfig, TextRule, Verdict } from './config';

/**
 * Content security v2 (内容安全): `security.msgSecCheck` answers at once, `security.mediaCheckAsync`
 * answers a trace id and pushes the `wxa_media_check` event later. WeChat's models are replaced by the
 * rules of `cloud.config.json` `security`: the first matching rule gives the verdict, anything else passes.
 */

const MAX_CONTENT_CHARS = 2500;
const SCENES = [1, 2, 3, 4];
const PASS = { suggest: 'pass', label: 100 } as const;

function checkCommon(params: Record<string, unknown>) {
  if (params.version !== 2) throw invalidArgs('version must be 2 (the emulator has content security v2 only)');
  stringParam(params, 'openid', () => new WxError(40003, 'invalid openid'));
  if (intParam(params, 'scene', SCENES) === undefined) throw invalidArgs('scene must be one of 1, 2, 3, 4');
}

function textVerdict(rules: TextRule[], text: string): { verdict: Verdict; keyword?: string } | undefined {
  for (const rule of rules) {
    const keyword = rule.words?.find((word) => text.includes(word));
    if (keyword) return { verdict: rule, keyword };
    if (rule.pattern?.test(text)) return { verdict: rule };
  }
  return undefined;
}

export function msgSecCheck(config: OpenApiConfig, { params }: ApiCall): WxReply {
  checkCommon(params);
  const content = params.content;
  if (typeof content !== 'string' || !content) throw invalidArgs('content is required');
  if ([...content].length > MAX_CONTENT_CHARS) throw invalidArgs(`content is over ${MAX_CONTENT_CHARS} characters`);
  const extras = ['title', 'nickname', 'signature'].map((key) => params[key]).filter((v): v is string => typeof v === 'string');
  const hit = textVerdict(config.textRules, [...extras, content].join('\n'));
  const result = hit ? { suggest: hit.verdict.suggest, label: hit.verdict.label } : PASS;
  const detail: Array<Record<string, unknown>> = [{ strategy: 'content_model', errcode: 0, ...result, prob: hit ? 90 : 0 }];
  if (hit?.keyword) detail.push({ strategy: 'keyword', errcode: 0, ...result, level: 20, keyword: hit.keyword });
  return { json: { result, detail, trace_id: rid() } };
}

interface PendingCheck {
  traceId: string;
  openid: string;
  mediaUrl: string;
  result: { suggest: string; label: number };
  timer: NodeJS.Timeout;
  /** deliveries tried so far */
  attempts: number;
}

/** Like WeChat's message push, a delivery the function fails (an error, or an ErrCode other than 0) is tried again, 3 times. */
const PUSH_RETRIES = 3;
const PUSH_RETRY_DELAY_MS = 1_000;

/** The function took the event: it answered, without an ErrCode (or errcode) other than 0. */
function acknowledged(delivery: PushOutcome | { error: string }): boolean {
  if ('error' in delivery && delivery.error !== undefined) return false;
  const answer = (delivery as PushOutcome).result as { ErrCode?: unknown; errcode?: unknown } | null | undefined;
  return (answer?.ErrCode ?? answer?.errcode ?? 0) === 0;
}

export interface DeliveredCheck {
  traceId: string;
  mediaUrl: string;
  result: { suggest: string; label: number };
  delivery: PushOutcome | { error: string };
}

export class MediaChecks {
  private readonly pending = new Map<string, PendingCheck>();
  private closed = false;

  constructor(
    private readonly ctx: EmulatorContext,
    private readonly config: OpenApiConfig,
  ) {}

  /** `security.mediaCheckAsync`: the verdict is decided now and pushed after the configured delay. */
  submit({ params }: ApiCall): WxReply {
    checkCommon(params);
    const mediaUrl = params.media_url;
    if (typeof mediaUrl !== 'string' || !/^https?:\/\/\S+$/.test(mediaUrl)) throw invalidArgs('media_url must be an http(s) URL');
    if (intParam(params, 'media_type', [1, 2]) === undefined) throw invalidArgs('media_type must be 1 (audio) or 2 (image)');
    const rule = this.config.mediaRules.find((r) => r.urlPattern.test(mediaUrl));
    const check: PendingCheck = {
      traceId: rid(),
      openid: params.openid as string,
      mediaUrl,
      result: rule ? { suggest: rule.suggest, label: rule.label } : { ...PASS },
      timer: setTimeout(() => void this.deliver(check), this.config.mediaCheckDelayMs).unref(),
      attempts: 0,
    };
    this.pending.set(check.traceId, check);
    return { json: { trace_id: check.traceId } };
  }

  /** Delivers every pending result now (or only those of checks made for `openid`), in submission order. */
  async flush(openid?: string): Promise<DeliveredCheck[]> {
    const delivered: DeliveredCheck[] = [];
    for (const check of [...this.pending.values()]) if (!openid || check.openid === openid) delivered.push(await this.deliver(check));
    return delivered;
  }

  private async deliver(check: PendingCheck): Promise<DeliveredCheck> {
    clearTimeout(check.timer);
    this.pending.delete(check.traceId);
    const { traceId: trace_id, result } = check;
    const event = {
      FromUserName: check.openid,
      appid: this.ctx.appId,
      trace_id,
      version: 2,
      detail: [{ strategy: 'content_model', errcode: 0, ...result, prob: result.label === 100 ? 0 : 90 }],
      errcode: 0,
      errmsg: 'ok',
      result,
    };
    const delivery = await pushEvent(this.ctx, 'wxa_media_check', event).catch((e: Error) => ({ error: e.message }));
    check.attempts++;
    if (!acknowledged(delivery) && check.attempts <= PUSH_RETRIES && !this.closed) {
      check.timer = setTimeout(() => void this.deliver(check), PUSH_RETRY_DELAY_MS).unref();
      this.pending.set(check.traceId, check);
    }
    return { traceId: trace_id, mediaUrl: check.mediaUrl, result, delivery };
  }

  close() {
    this.closed = true;
    for (const check of this.pending.values()) clearTimeout(check.timer);
    this.pending.clear();
  }
}
