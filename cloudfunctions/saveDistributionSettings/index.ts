import { saveDistributionSettingsRequest } from '../../domain/contracts/distribution';
import { saveDistributionSettings } from '../../domain/distribution/settings';
import { defineFunction } from '../../server/handler';

/** Changes the school's distribution rules, audited (domain/distribution/settings.ts). */
export const main = defineFunction({
  input: saveDistributionSettingsRequest,
  caller: { staff: 'campaigns.manage' },
  run: (input, { caller, db, now }) => saveDistributionSettings(db, caller.staff!, input, now),
});
