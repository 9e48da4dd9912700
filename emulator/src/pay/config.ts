import * as z from 'zod/mini';
import type { EmulatorContext } from '../service';

/**
 * WeChat's notification schedule (15s/15s/30s/3m/10m/20m/30m/30m/30m/60m/3h/3h/3h/6h/6h), compressed
 * 1000 times: the same shape of retries, over about 86 s instead of a day.
 */
const COMPRESSED_WECHAT_RETRIES_MS = [15, 15, 30, 180, 600, 1200, 1800, 1800, 1800, 3600, 10_800, 10_800, 10_800, 21_600, 21_600];

const retryDelays = z.optional(z.array(z.int().check(z.nonnegative())));

/** `cloud.config.json` "cloudPay": the sandbox merchant the product's functions order from. */
const cloudPaySchema = z.object({
  /** the sub-merchant bound to the environment (console: 云开发 > 设置 > 其他设置 > 微信支付配置) */
  subMchId: z.string().check(z.minLength(1)),
  /** waits between callback attempts until one answers `{errcode: 0}` */
  notifyRetryDelaysMs: retryDelays,
  /** complete every refund on its own this long after it is requested; without it, refunds wait for the control endpoint */
  refundAutoCompleteMs: z.optional(z.int().check(z.nonnegative())),
});

/** `cloud.config.json` "virtualPayment": the MP console's 虚拟支付 > 基本配置. */
const virtualPaymentSchema = z.object({
  offerId: z.string().check(z.minLength(1)),
  /** 0 = production, 1 = sandbox: the env the product puts in signData */
  env: z.union([z.literal(0), z.literal(1)]),
  /** the functions whose environment variables hold the AppKey and AppSecret */
  functionsWithKeys: z.optional(z.array(z.string())),
});

/** `cloud.config.json` "virtualPaymentSandbox": the emulator's own values, never the real ones. */
const virtualPaymentSandboxSchema = z.object({
  /** signs paySig and pay_sig */
  appKey: z.string().check(z.minLength(1)),
  /** what code2Session and stable_token take for the mini program's AppSecret */
  appSecret: z.string().check(z.minLength(1)),
  /** waits between xpay_goods_deliver_notify / xpay_refund_notify attempts until one answers `{ErrCode: 0}` */
  notifyRetryDelaysMs: retryDelays,
  /** complete every refund on its own this long after it is requested; without it, refunds wait for the control endpoint */
  refundAutoCompleteMs: z.optional(z.int().check(z.nonnegative())),
});

export interface CloudPayConfig {
  subMchId: string;
  notifyRetryDelaysMs: number[];
  refundAutoCompleteMs?: number;
}

export interface VirtualPaymentConfig {
  offerId: string;
  env: 0 | 1;
  functionsWithKeys: string[];
  appKey: string;
  appSecret: string;
  notifyRetryDelaysMs: number[];
  refundAutoCompleteMs?: number;
}

function parse<T>(section: string, schema: z.ZodMiniType<T>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new Error(`cloud.config.json ${section}: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

export function cloudPayConfig(ctx: EmulatorContext): CloudPayConfig {
  const parsed = parse('cloudPay', cloudPaySchema, ctx.config.cloudPay ?? { subMchId: '1900000109' });
  return { ...parsed, notifyRetryDelaysMs: parsed.notifyRetryDelaysMs ?? COMPRESSED_WECHAT_RETRIES_MS };
}

/** null when the project has not configured virtual payment. */
export function virtualPaymentConfig(ctx: EmulatorContext): VirtualPaymentConfig | null {
  if (ctx.config.virtualPayment === undefined) return null;
  const { functionsWithKeys, ...console } = parse('virtualPayment', virtualPaymentSchema, ctx.config.virtualPayment);
  const sandbox = parse('virtualPaymentSandbox', virtualPaymentSandboxSchema, ctx.config.virtualPaymentSandbox);
  return { ...console, ...sandbox, functionsWithKeys: functionsWithKeys ?? [], notifyRetryDelaysMs: sandbox.notifyRetryDelaysMs ?? COMPRESSED_WECHAT_RETRIES_MS };
}
