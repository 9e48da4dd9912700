/**
 * The product's non-secret settings as functions read them: sections of `cloud.config.json`, bundled into
 * each function at build time (esbuild keeps only the sections imported), so a function and the console
 * checklist can never disagree and the deployed bytes are the tested bytes. Secrets never come from here.
 */
import { PLATFORMS } from '../domain/payments/provider';
import * as z from '../domain/contracts/schema';
import { cloudPay, moderation, payments, subscribeMessage, virtualPayment } from '../cloud.config.json';

const template = z.object({
  purpose: z.optional(z.string()),
  /** field key (e.g. `thing2`) -> the value the product puts there (e.g. `itemTitle`) */
  values: z.optional(z.record(z.string(), z.string())),
});

const provider = z.enum(['cloudPay', 'virtualPayment']);
/** Which provider new orders use: by the platform the mini program reports, `default` for any other. */
const railChoice = z.object({ default: provider, platforms: z.optional(z.partialRecord(z.enum(PLATFORMS), provider)) });

const schema = z.object({
  cloudPay: z.object({ subMchId: z.string().check(z.minLength(1)) }),
  payments: z.extend(railChoice, { environments: z.record(z.string(), railChoice) }),
  /** the secrets (AppKey, AppSecret) are the functions' environment variables (server/wechat.ts) */
  virtualPayment: z.object({ offerId: z.string().check(z.minLength(1)), env: z.union([z.literal(0), z.literal(1)]) }),
  subscribeMessage: z.object({ templates: z.record(z.string(), template) }),
  /** an item reported by this many learners is hidden until staff decide */
  moderation: z.object({ reportThreshold: z.int().check(z.minimum(1)) }),
});

export type Settings = z.output<typeof schema>;

/** Parsed once per instance; a malformed file fails the cold start loudly. */
export const settings: Settings = schema.parse({ cloudPay, moderation, payments, subscribeMessage, virtualPayment });

/** A subscription message template the product sends: its id and which value goes in each field. */
export interface TemplateSetting {
  id: string;
  values: Record<string, string>;
}

/** The template configured for `purpose`, or undefined when the environment has none (nothing is sent). */
export function templateFor(purpose: string): TemplateSetting | undefined {
  const found = Object.entries(settings.subscribeMessage.templates).find(([, t]) => t.purpose === purpose);
  return found && { id: found[0], values: found[1].values ?? {} };
}
