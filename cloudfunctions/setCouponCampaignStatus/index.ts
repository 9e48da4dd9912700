import { setCouponCampaignStatusRequest } from '../../domain/contracts/coupons';
import { setCouponCampaignStatus } from '../../domain/coupons/campaigns';
import { defineFunction } from '../../server/handler';

/** Pauses or resumes a coupon campaign, audited (domain/coupons/campaigns.ts). */
export const main = defineFunction({
  input: setCouponCampaignStatusRequest,
  caller: { staff: 'campaigns.manage' },
  run: (input, { caller, db, now }) => setCouponCampaignStatus(db, caller.staff!, input, now),
});
