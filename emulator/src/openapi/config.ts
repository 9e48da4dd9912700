import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import * as z from 'zod/mini';

/**
 * The open-API parts of `cloud.config.json`: the subscription message templates the product picked in
 * the WeChat console (their ids, fields and field types), and the local stand-ins for WeChat's content
 * security (rules deciding `review` / `risky`, since the emulator has no content model).
 */

/** Field types of subscription message templates with the value rules WeChat documents. */
export const FIELD_TYPES = [
  'thing', 'number', 'letter', 'symbol', 'character_string', 'time', 'date', 'amount', 'phone_number', 'name', 'phrase',
] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

/** Content security labels (100 is normal): ads, politics, porn, abuse, crime, fraud, vulgar, copyright, other. */
const LABELS = [10001, 20001, 20002, 20003, 20006, 20008, 20012, 20013, 21000] as const;

const templateSchema = z.object({
  title: z.optional(z.string()),
  /** `once`: each acceptance allows one message; `long`: accepted until the learner turns it off */
  kind: z.enum(['once', 'long'], 'kind is once or long'),
  /** field key (as in the console, e.g. `thing1`) -> its type */
  fields: z.record(z.string().check(z.regex(/^[a-z_]+\d+$/)), z.enum(FIELD_TYPES, `a field type is one of ${FIELD_TYPES.join(', ')}`), {
    error: (issue) => (issue.code === 'invalid_key' ? 'field keys look like thing1, time2' : undefined),
  }),
});

const verdict = {
  suggest: z.enum(['review', 'risky'], 'suggest is review or risky'),
  label: z.literal(LABELS, `label is one of ${LABELS.join(', ')}`),
};

const textRuleSchema = z
  .object({ words: z.optional(z.array(z.string().check(z.minLength(1)))), pattern: z.optional(z.string()), ...verdict })
  .check(z.refine((rule) => (rule.words === undefined) !== (rule.pattern === undefined), 'a rule has either words or a pattern'));

const mediaRuleSchema = z.object({ urlPattern: z.string(), ...verdict });

const openApiConfigSchema = z.object({
  subscribeMessage: z.optional(z.object({ templates: z.record(z.string().check(z.minLength(1)), templateSchema) })),
  security: z.optional(
    z.object({
      msgSecCheck: z.optional(z.array(textRuleSchema)),
      mediaCheckAsync: z.optional(z.array(mediaRuleSchema)),
      /** how long WeChat "takes" before pushing a media check result (default 5 s) */
      mediaCheckDelaySeconds: z.optional(z.number().check(z.minimum(0))),
    }),
  ),
});

export type Template = z.infer<typeof templateSchema>;

export interface Verdict {
  suggest: 'review' | 'risky';
  label: (typeof LABELS)[number];
}

export interface TextRule extends Verdict {
  words?: string[];
  pattern?: RegExp;
}

export interface OpenApiConfig {
  templates: Record<string, Template>;
  textRules: TextRule[];
  mediaRules: Array<Verdict & { urlPattern: RegExp }>;
  mediaCheckDelayMs: number;
}

function regex(source: string, where: string): RegExp {
  try {
    return new RegExp(source, 'u');
  } catch (e) {
    throw new Error(`cloud.config.json ${where}: ${(e as Error).message}`);
  }
}

export function readOpenApiConfig(config: Record<string, unknown>): OpenApiConfig {
  const parsed = openApiConfigSchema.safeParse(config);
  if (!parsed.success) throw new Error(`cloud.config.json subscribeMessage / security: ${z.prettifyError(parsed.error)}`);
  const { subscribeMessage, security } = parsed.data;
  return {
    templates: subscribeMessage?.templates ?? {},
    textRules: (security?.msgSecCheck ?? []).map((rule, i) => ({
      ...rule,
      pattern: rule.pattern === undefined ? undefined : regex(rule.pattern, `security.msgSecCheck[${i}].pattern`),
    })),
    mediaRules: (security?.mediaCheckAsync ?? []).map((rule, i) => ({
      ...rule,
      urlPattern: regex(rule.urlPattern, `security.mediaCheckAsync[${i}].urlPattern`),
    })),
    mediaCheckDelayMs: (security?.mediaCheckDelaySeconds ?? 5) * 1000,
  };
}

/** `miniprogram/app.json` beside the emulator (emulator/dist/main.js bundles this file). */
const APP_JSON = resolve(__dirname, '../../miniprogram/app.json');

/**
 * The mini program's pages (main package and subpackages), read on every call so new pages count at
 * once. WeChat checks a message's or a code's page against the released version's app.json.
 */
export function appPages(): string[] {
  const app = JSON.parse(readFileSync(APP_JSON, 'utf8')) as {
    pages?: string[];
    subpackages?: Array<{ root: string; pages: string[] }>;
    subPackages?: Array<{ root: string; pages: string[] }>;
  };
  const subpackages = app.subpackages ?? app.subPackages ?? [];
  return [...(app.pages ?? []), ...subpackages.flatMap((p) => p.pages.map((page) => `${p.root.replace(/\/$/, '')}/${page}`))];
}
