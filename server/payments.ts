import type * as cloud from 'wx-server-sdk';
import type { PaymentProviderName } from '../domain/orders/model';
import { cloudPayProvider } from '../domain/payments/cloudpay';
import type { PaymentProvider } from '../domain/payments/provider';
import { cloudPay } from './cloudpay';
import type { Settings } from './settings';

export interface Payments {
  /** the provider new orders use in this environment (`payments` in cloud.config.json) */
  readonly current: PaymentProvider;
  /** the provider that took an existing order */
  of(name: PaymentProviderName): PaymentProvider;
}

export function payments(sdk: typeof cloud, settings: Settings, envId: string): Payments {
  const providers: Record<PaymentProviderName, () => PaymentProvider> = {
    cloudPay: () => cloudPayProvider(cloudPay(sdk), { subMchId: settings.cloudPay.subMchId, envId }),
  };
  const of = (name: PaymentProviderName) => providers[name]();
  return { current: of(settings.payments.environments[envId] ?? settings.payments.default), of };
}
