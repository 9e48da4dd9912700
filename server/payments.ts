import type * as cloud from 'wx-server-sdk';
import { DomainError } from '../domain/errors';
import type { PaymentProviderName } from '../domain/orders/model';
import { cloudPayProvider } from '../domain/payments/cloudpay';
import type { PaymentProvider, Platform } from '../domain/payments/provider';
import { virtualPaymentRefusal } from '../domain/payments/virtualgoods';
import { virtualPayProvider } from '../domain/payments/virtualpay';
import { cloudPay } from './cloudpay';
import type { Settings } from './settings';
import { wechatApi } from './wechat';

export interface Payments {
  /**
   * The provider a new order of `amount` fen from a device on `platform` uses in this environment
   * (`payments` in cloud.config.json). Refuses, with words for the learner, an order that provider cannot take.
   */
  for(platform: Platform | undefined, amount: number): PaymentProvider;
  /** the provider that took an existing order */
  of(name: PaymentProviderName): PaymentProvider;
}

export function payments(sdk: typeof cloud, settings: Settings, envId: string): Payments {
  const providers: Record<PaymentProviderName, () => PaymentProvider> = {
    cloudPay: () => cloudPayProvider(cloudPay(sdk), { subMchId: settings.cloudPay.subMchId, envId }),
    virtualPayment: () => virtualPayProvider(wechatApi(), settings.virtualPayment),
  };
  const of = (name: PaymentProviderName) => providers[name]();
  return {
    for(platform, amount) {
      const choice = settings.payments.environments[envId] ?? settings.payments;
      const name = (platform && choice.platforms?.[platform]) || choice.default;
      const refusal = name === 'virtualPayment' ? virtualPaymentRefusal(platform, amount) : undefined;
      if (refusal) throw new DomainError('PAYMENT_UNAVAILABLE', refusal);
      return of(name);
    },
    of,
  };
}
