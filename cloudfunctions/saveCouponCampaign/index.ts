import { saveCouponCampaignRequest } from '../../domain/contracts/coupons';
import { saveCouponCampaign } from '../../domain/coupons/campaigns';
import { defineFunction } from '../../server/handler';

/** Creates or changes a coupon campaign, audited (domain/coupons/campaigns.ts). */
export const main = defineFunction({
  input: saveCouponCampaignRequest,
  caller: { staff: 'campaigns.manage' },
  run: (input, { caller, db, now }) => saveCouponCampaign(db, caller.staff!, input, now),
});
