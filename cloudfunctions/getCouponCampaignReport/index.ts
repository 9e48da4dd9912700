import { getCouponCampaignReportRequest } from '../../domain/contracts/coupons';
import { getCouponCampaignReport } from '../../domain/coupons/report';
import { defineFunction } from '../../server/handler';

/** How a coupon campaign did: its coupons by status, the orders that used them (domain/coupons/report.ts). */
export const main = defineFunction({
  input: getCouponCampaignReportRequest,
  caller: { staff: 'campaigns.manage' },
  run: (input, { db, now }) => getCouponCampaignReport(db, input, now),
});
