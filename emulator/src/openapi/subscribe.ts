import { randomBytes } from 'node:crypto';
import { stringParam, WxError, type ApiCall, type WxReply } from './api';
import { appPages, type FieldType, type Template } from './config';

/**
 * Subscription messages (订阅消息): the learner subscribes in the mini program
 * (`wx.requestSubscribeMessage`), a function sends (`cloud.openapi.subscribeMessage.send`). A one-time
 * template allows one message per acceptance; a long-term one stays until the learner refuses it.
 * What is sent lands in the outbox instead of a phone. Kept in memory: a restart forgets them.
 */

export interface OutboxMessage {
  id: string;
  sentAt: string;
  /** the function that sent it */
  fromFunction: string;
  touser: string;
  templateId: string;
  title?: string;
  page?: string;
  data: Record<string, string>;
  miniprogramState: string;
  lang: string;
}

/** What `wx.requestSubscribeMessage` fails with (its `errCode`, and the reason after `:fail `). */
export class SubscribeError extends Error {
  constructor(
    readonly errCode: number,
    message: string,
  ) {
    super(message);
  }
}

const OUTBOX_KEPT = 1000;
/** At most this many template ids per `wx.requestSubscribeMessage`. */
const MAX_TEMPLATES_PER_REQUEST = 3;

const HAN = /\p{Script=Han}/u;
const DATE = String.raw`(?:\d{4}年\d{1,2}月\d{1,2}日|\d{4}[-/.]\d{1,2}[-/.]\d{1,2})`;
const CLOCK = String.raw`(?:[01]?\d|2[0-3]):[0-5]\d(?::[0-5]\d)?`;
const TIME = new RegExp(String.raw`^(?:${DATE}\s*)?${CLOCK}$`);
const DAY = new RegExp(String.raw`^${DATE}(?:\s*${CLOCK})?$`);

/** Both forms allow a period: two points joined by `~`. */
const period = (pattern: RegExp) => (value: string) => {
  const points = value.split('~').map((p) => p.trim());
  return points.length <= 2 && points.every((p) => pattern.test(p));
};

/** WeChat's value rules per field type ("订阅消息参数值内容限制"); lengths count characters. */
const VALUE_RULES: Record<FieldType, (value: string, length: number) => boolean> = {
  thing: (_v, n) => n <= 20,
  number: (v, n) => n <= 32 && /^[+-]?\d+(?:\.\d+)?$/.test(v),
  letter: (v) => /^[A-Za-z]{1,32}$/.test(v),
  symbol: (v) => /^[^\p{L}\p{N}\s]{1,5}$/u.test(v),
  character_string: (v) => /^[\x21-\x7e]{1,32}$/.test(v),
  time: period(TIME),
  date: period(DAY),
  amount: (v) => /^[¥￥$€£]?\d{1,10}(?:\.\d{1,2})?元?$/.test(v),
  phone_number: (v) => /^[\d+\-() ]{1,17}$/.test(v),
  name: (v, n) => (HAN.test(v) ? n <= 10 : /^[\p{L}\p{P}\p{S} ]{1,20}$/u.test(v)),
  phrase: (v) => /^\p{Script=Han}{1,5}$/u.test(v),
};

export class SubscribeMessages {
  /** `openid \n templateId` -> one-time acceptances not yet used */
  private readonly onceCredits = new Map<string, number>();
  /** `openid \n templateId` of long-term subscriptions */
  private readonly longTerm = new Set<string>();
  readonly outbox: OutboxMessage[] = [];

  constructor(private readonly templates: Record<string, Template>) {}

  /**
   * The learner's answer to the `wx.requestSubscribeMessage` dialog: `accepted` holds the template ids
   * they agreed to. Answers `{[tmplId]: 'accept' | 'reject'}`; fails like the client API.
   */
  request(openid: string, tmplIds: unknown, accepted: (id: string) => boolean): Record<string, 'accept' | 'reject'> {
    if (!Array.isArray(tmplIds) || !tmplIds.every((id) => typeof id === 'string')) {
      throw new SubscribeError(10004, 'parameter.tmplIds should be Array<string>');
    }
    if (tmplIds.length === 0) throw new SubscribeError(10001, "TmplIds can't be empty");
    if (tmplIds.length > MAX_TEMPLATES_PER_REQUEST) throw new SubscribeError(20003, 'Templates count out of max bounds');
    const templates = tmplIds.map((id: string) => this.templates[id]);
    if (templates.some((t) => !t)) throw new SubscribeError(20001, 'No template data return, verify the template id exist');
    if (new Set(templates.map((t) => t!.kind)).size > 1) throw new SubscribeError(20002, 'Templates type must be same');
    const answers: Record<string, 'accept' | 'reject'> = {};
    tmplIds.forEach((id: string, i) => {
      const key = `${openid}\n${id}`;
      const yes = accepted(id);
      answers[id] = yes ? 'accept' : 'reject';
      if (templates[i]!.kind === 'long') {
        if (yes) this.longTerm.add(key);
        else this.longTerm.delete(key);
      } else if (yes) {
        this.onceCredits.set(key, (this.onceCredits.get(key) ?? 0) + 1);
      }
    });
    return answers;
  }

  /** `subscribeMessage.send`, checked in the order WeChat reports its errors. */
  send({ params, functionName }: ApiCall): WxReply {
    const touser = stringParam(params, 'touser', () => new WxError(40003, 'invalid openid'));
    const templateId = typeof params.template_id === 'string' ? params.template_id : '';
    const template = this.templates[templateId];
    if (!template) throw new WxError(40037, 'invalid template_id');
    const page = params.page;
    if (page !== undefined && (typeof page !== 'string' || !appPages().includes(page.replace(/^\//, '').split('?')[0]!))) {
      throw new WxError(41030, 'invalid page');
    }
    const state = params.miniprogram_state ?? 'formal';
    if (typeof state !== 'string' || !['developer', 'trial', 'formal'].includes(state)) {
      throw new WxError(47003, 'argument invalid! miniprogram_state invalid');
    }
    const lang = params.lang ?? 'zh_CN';
    if (typeof lang !== 'string' || !['zh_CN', 'en_US', 'zh_HK', 'zh_TW'].includes(lang)) throw new WxError(47003, 'argument invalid! lang invalid');
    const data = this.checkData(template, params.data);

    const key = `${touser}\n${templateId}`;
    const credits = this.onceCredits.get(key) ?? 0;
    if (template.kind === 'long' ? !this.longTerm.has(key) : credits === 0) throw new WxError(43101, 'user refuse to accept the msg');
    if (template.kind === 'once') {
      if (credits === 1) this.onceCredits.delete(key);
      else this.onceCredits.set(key, credits - 1);
    }
    this.outbox.push({
      id: randomBytes(8).toString('hex'),
      sentAt: new Date().toISOString(),
      fromFunction: functionName,
      touser,
      templateId,
      title: template.title,
      page: page as string | undefined,
      data,
      miniprogramState: state,
      lang,
    });
    if (this.outbox.length > OUTBOX_KEPT) this.outbox.shift();
    return { json: {} };
  }

  private checkData(template: Template, data: unknown): Record<string, string> {
    if (!data || typeof data !== 'object' || Array.isArray(data)) throw new WxError(47003, 'argument invalid! data is empty');
    const values: Record<string, string> = {};
    for (const [key, type] of Object.entries(template.fields)) {
      const field = (data as Record<string, unknown>)[key];
      const raw = field && typeof field === 'object' ? (field as { value?: unknown }).value : undefined;
      const value = typeof raw === 'number' ? String(raw) : raw;
      if (typeof value !== 'string' || !value.trim()) throw new WxError(47003, `argument invalid! data.${key}.value is empty`);
      if (!VALUE_RULES[type](value, [...value].length)) throw new WxError(47003, `argument invalid! data.${key}.value invalid`);
      values[key] = value;
    }
    return values;
  }
}
