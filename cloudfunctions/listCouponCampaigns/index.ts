import { listCouponCampaignsRequest } from '../../domain/contracts/coupons';
import { listCouponCampaigns } from '../../domain/coupons/campaigns';
import { defineFunction } from '../../server/handler';

/** Coupon campaigns, newest first (domain/coupons/campaigns.ts). */
export const main = defineFunction({
  input: listCouponCampaignsRequest,
  caller: { staff: 'campaigns.manage' },
  run: (input, { db }) => listCouponCampaigns(db, input),
});
