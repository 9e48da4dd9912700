/**
 * Subscription messages (订阅消息) through `cloud.openapi.subscribeMessage.send`, typed (the SDK's typings
 * leave the open APIs untyped). The domain names what it tells the learner (a purpose and its values);
 * which console template carries it, and in which fields, is configuration (cloud.config.json
 * `subscribeMessage`). A function that sends lists `subscribeMessage.send` in its config.json.
 */
import type * as cloud from 'wx-server-sdk';
import { templateFor } from './settings';

export interface Notice {
  /** the template's `purpose` in cloud.config.json, e.g. `orderPaid` */
  purpose: string;
  touser: string;
  /** the mini-program page the message opens, with its query */
  page: string;
  /** value name (a template's `values` entry) -> text */
  values: Record<string, string>;
}

/**
 * - sent
 * - notSubscribed: the learner did not accept the template, or used up a one-time acceptance (WeChat's 43101)
 * - noTemplate: this environment configures no template for the purpose
 */
export type NoticeOutcome = 'sent' | 'notSubscribed' | 'noTemplate';

export interface Messages {
  notify(notice: Notice): Promise<NoticeOutcome>;
}

type SendApi = (message: { touser: string; templateId: string; page: string; data: Record<string, { value: string }> }) => Promise<unknown>;

export function messages(sdk: typeof cloud): Messages {
  return {
    async notify({ purpose, touser, page, values }) {
      const template = templateFor(purpose);
      if (!template) return 'noTemplate';
      const data = Object.fromEntries(
        Object.entries(template.values).map(([field, name]) => {
          const value = values[name];
          if (value === undefined) throw new Error(`template ${template.id} (${purpose}) wants "${name}", which a ${purpose} notice does not have`);
          return [field, { value }];
        }),
      );
      try {
        await (sdk.openapi as unknown as { subscribeMessage: { send: SendApi } }).subscribeMessage.send({ touser, templateId: template.id, page, data });
        return 'sent';
      } catch (e) {
        if ((e as { errCode?: unknown }).errCode === 43101) return 'notSubscribed';
        throw e;
      }
    },
  };
}
