import { getDistributionSettingsRequest } from '../../domain/contracts/distribution';
import { getDistributionSettings } from '../../domain/distribution/settings';
import { defineFunction } from '../../server/handler';

/** The school's distribution rules, for the console's settings screen. */
export const main = defineFunction({
  input: getDistributionSettingsRequest,
  caller: { staff: 'campaigns.manage' },
  run: (_input, { db }) => getDistributionSettings(db),
});
