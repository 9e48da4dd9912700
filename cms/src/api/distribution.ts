import type {
  DecideWithdrawalRequest,
  DecideWithdrawalResponse,
  GetDistributionSettingsResponse,
  ListPromotersRequest,
  ListPromotersResponse,
  ListWithdrawalsRequest,
  ListWithdrawalsResponse,
  SaveDistributionSettingsRequest,
} from '@domain/contracts/distribution';
import { call } from './cloud';

export const getDistributionSettings = () => call<GetDistributionSettingsResponse>('getDistributionSettings', {});
export const saveDistributionSettings = (req: SaveDistributionSettingsRequest) => call<GetDistributionSettingsResponse>('saveDistributionSettings', req);
export const listWithdrawals = (req: ListWithdrawalsRequest) => call<ListWithdrawalsResponse>('listWithdrawals', req);
export const decideWithdrawal = (req: DecideWithdrawalRequest) => call<DecideWithdrawalResponse>('decideWithdrawal', req);
export const listPromoters = (req: ListPromotersRequest) => call<ListPromotersResponse>('listPromoters', req);
