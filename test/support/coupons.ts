import type { ClaimCouponResponse, SaveCouponCampaignRequest, SaveCouponCampaignResponse } from '../../domain/contracts/coupons';
import { ok } from './commerce';
import { uniqueName } from './sdk';
import { staffOk, type StaffAccount } from './staff';

const HOUR = 60 * 60 * 1000;

/** A campaign as an editor would save it: 10 yuan off the whole school, claimable for a month, 100 coupons, one each. */
export const campaignRequest = (over: Partial<SaveCouponCampaignRequest> = {}): SaveCouponCampaignRequest => ({
  title: uniqueName('券').slice(0, 20),
  rule: { kind: 'amount', amountOff: 1000 },
  scope: 'school',
  // Dates as the console sends them, JSON.
  validFrom: new Date(Date.now() - HOUR).toISOString() as unknown as Date,
  validUntil: new Date(Date.now() + 30 * 24 * HOUR).toISOString() as unknown as Date,
  totalStock: 100,
  perLearnerLimit: 1,
  ...over,
});

/** Saves `campaignRequest(over)` from the console as `by`; answers the campaign. */
export async function createCampaign(over: Partial<SaveCouponCampaignRequest> = {}, by: StaffAccount = 'editor') {
  return (await staffOk<SaveCouponCampaignResponse>(by, 'saveCouponCampaign', campaignRequest(over))).data.campaign;
}

/** The learner claims one coupon of the campaign; answers its id. */
export const claimCouponOf = async (openid: string, campaignId: string) => (await ok<ClaimCouponResponse>(openid, 'claimCoupon', { campaignId })).data.coupon.id;
