import * as z from 'zod/mini';

/** English messages for this parse only: the emulator sets no global zod locale, and mini has none built in. */
const english = { error: z.locales.en().localeError };

/** A share of calls, 0 (never) to 1 (always). */
const share = z.number().check(z.gte(0), z.lte(1));

/**
 * `faults` in `cloud.config.json`, `EMULATOR_FAULTS` or `PUT /__emulator/faults`. Strict: a misspelt
 * field is refused by name rather than silently injecting nothing.
 */
const faultsSchema = z.strictObject({
  $comment: z.optional(z.string()),
  /** share of function invocations whose instance is killed */
  killInvocations: z.optional(share),
  /** only these functions' invocations are killed (default: all) */
  functions: z.optional(z.array(z.string().check(z.minLength(1)))),
  /** share of payment provider server API calls that fail */
  providerFailures: z.optional(share),
  /** how long a "timeout" failure holds the call before dropping the connection */
  providerTimeoutMs: z.optional(z.int().check(z.nonnegative(), z.lte(600_000))),
  /** seeds the PRNG, so the same calls in the same order meet the same faults */
  seed: z.optional(z.int()),
});

export interface FaultSettings {
  killInvocations: number;
  functions?: string[];
  providerFailures: number;
  providerTimeoutMs: number;
  seed?: number;
}

export const DEFAULT_PROVIDER_TIMEOUT_MS = 2000;

/** Refused fault settings; `source` names where they came from. */
export class FaultSettingsError extends Error {}

/** Validates fault settings; `{}` (or nothing) turns every fault off. */
export function parseFaultSettings(source: string, value: unknown): FaultSettings {
  const parsed = faultsSchema.safeParse(value ?? {}, english);
  if (!parsed.success) throw new FaultSettingsError(`${source}: ${z.prettifyError(parsed.error)}`);
  const { killInvocations, functions, providerFailures, providerTimeoutMs, seed } = parsed.data;
  return {
    killInvocations: killInvocations ?? 0,
    ...(functions === undefined ? {} : { functions }),
    providerFailures: providerFailures ?? 0,
    providerTimeoutMs: providerTimeoutMs ?? DEFAULT_PROVIDER_TIMEOUT_MS,
    ...(seed === undefined ? {} : { seed }),
  };
}

/** The settings at start: `EMULATOR_FAULTS` (JSON) if set, which wins over `faults` of `cloud.config.json`. */
export function startupFaultSettings(config: Record<string, unknown>, env: string | undefined): FaultSettings {
  if (env !== undefined && env.trim() !== '') {
    let value: unknown;
    try {
      value = JSON.parse(env);
    } catch (e) {
      throw new FaultSettingsError(`EMULATOR_FAULTS is not valid JSON: ${(e as Error).message}`);
    }
    return parseFaultSettings('EMULATOR_FAULTS', value);
  }
  return parseFaultSettings('cloud.config.json faults', config.faults);
}
