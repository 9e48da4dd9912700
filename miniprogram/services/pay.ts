/**
 * Paying an order the way its provider asks, and what `createOrder` needs to know to pick the provider.
 * Cloud pay is `wx.requestPayment`; virtual payment is `wx.requestVirtualPayment` (Apple settles it on
 * iOS). Whether the learner paid is the server's to say (the order, after its notification): 'paid' only
 * means the pay sheet closed on a payment.
 */
import type { PaymentContext } from '../../domain/contracts/orders';
import type { ClientPayment, Platform } from '../../domain/payments/provider';
import { ServiceError, type Jsonified } from './cloud';
import { transport } from './transport/index';

/** The platforms `createOrder` knows; a newer one is left out, so the server picks its default rail. */
const KNOWN_PLATFORMS: Record<Platform, true> = { ios: true, android: true, windows: true, mac: true, devtools: true, ohos: true };

const isKnown = (platform: string): platform is Platform => Object.prototype.hasOwnProperty.call(KNOWN_PLATFORMS, platform);

/** `wx.getDeviceInfo` came with base library 2.20.1; older ones have the same fields in getSystemInfoSync. */
const deviceInfo = (): { platform: string; system: string } => (typeof wx.getDeviceInfo === 'function' ? wx.getDeviceInfo() : wx.getSystemInfoSync());

/**
 * Sent with `createOrder`: the platform (which only picks the payment rail: a learner who changes it
 * gets another rail, never another price or access) and a fresh `wx.login` code, which virtual payment
 * exchanges for the session_key it signs with (a code is single use and lasts 5 minutes, so one per
 * order). Without a code cloud pay still works; virtual payment then refuses with its own message.
 */
export async function paymentContext(): Promise<PaymentContext> {
  const { platform } = deviceInfo();
  const loginCode = await transport()
    .login()
    .catch(() => undefined);
  return { ...(isKnown(platform) ? { platform } : {}), ...(loginCode ? { loginCode } : {}) };
}

/** How the pay sheet ended: paid, or the learner closed it. */
export type PayOutcome = 'paid' | 'cancelled';

/** The iOS release Apple's in-app purchase of virtual payment needs. */
const IOS_MIN_MAJOR = 15;

const failed = (message: string, detail?: unknown) => new ServiceError('PAYMENT_UNAVAILABLE', message, detail);

/** `wx.requestVirtualPayment`'s failures (errCode), in the learner's words; -2 is the learner cancelling. */
const VIRTUAL_FAILURES: Record<number, string> = {
  [-1]: '支付失败，请稍后重试',
  [-4]: '支付未通过微信安全检查，请稍后重试',
  [-5]: '支付开通结果未知，请稍后在“我的订单”中查看',
};

function checkVirtualPaymentSupported() {
  if (!wx.canIUse('requestVirtualPayment')) throw failed('当前微信版本过低，请升级微信后再购买');
  const { platform, system } = deviceInfo();
  const major = Number(/iOS\s+(\d+)/i.exec(system)?.[1]);
  if (platform === 'ios' && major < IOS_MIN_MAJOR) throw failed(`在苹果手机上购买需要 iOS ${IOS_MIN_MAJOR} 或以上版本，请升级系统后再试`);
}

const cancelledBy = (failure: unknown) => {
  const { errCode, errMsg } = (failure ?? {}) as { errCode?: unknown; errMsg?: unknown };
  return errCode === -2 || /:fail cancel/.test(String(errMsg ?? ''));
};

/**
 * Opens the pay sheet `createOrder` answered. Resolves 'paid' or 'cancelled'; any other end throws a
 * `ServiceError` (PAYMENT_UNAVAILABLE) whose message can be shown as is.
 */
export async function pay(payment: Jsonified<ClientPayment>): Promise<PayOutcome> {
  if (payment.provider === 'virtualPayment') checkVirtualPaymentSupported();
  try {
    if (payment.provider === 'virtualPayment') await transport().requestVirtualPayment(payment.params);
    else await transport().requestPayment(payment.params);
    return 'paid';
  } catch (failure) {
    if (cancelledBy(failure)) return 'cancelled';
    const errCode = (failure as { errCode?: unknown } | null)?.errCode;
    throw failed((typeof errCode === 'number' && payment.provider === 'virtualPayment' && VIRTUAL_FAILURES[errCode]) || '支付未完成，请稍后重试', failure);
  }
}
