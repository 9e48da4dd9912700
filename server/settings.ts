/**
 * The product's non-secret settings as functions read them: sections of `cloud.config.json`, bundled into
 * each function at build time (esbuild keeps only the sections imported), so a function and the console
 * checklist can never disagree and the deployed bytes are the tested bytes. Secrets never come from here.
 */
import * as z from '../domain/contracts/schema';
import { cloudPay, payments } from '../cloud.config.json';

const schema = z.object({
  cloudPay: z.object({ subMchId: z.string().check(z.minLength(1)) }),
  payments: z.object({
    default: z.enum(['cloudPay']),
    environments: z.record(z.string(), z.enum(['cloudPay'])),
  }),
});

export type Settings = z.output<typeof schema>;

/** Parsed once per instance; a malformed file fails the cold start loudly. */
export const settings: Settings = schema.parse({ cloudPay, payments });
