import { claimCouponRequest } from '../../domain/contracts/coupons';
import { claimCoupon } from '../../domain/coupons/claim';
import { defineFunction } from '../../server/handler';

/** A learner claims one coupon of a campaign (domain/coupons/claim.ts). */
export const main = defineFunction({
  input: claimCouponRequest,
  caller: 'learner',
  run: ({ campaignId }, { caller, db, now }) => claimCoupon(db, caller.openid!, campaignId, now),
});
