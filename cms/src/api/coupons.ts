import type {
  GetCouponCampaignReportRequest,
  GetCouponCampaignReportResponse,
  ListCouponCampaignsRequest,
  ListCouponCampaignsResponse,
  SaveCouponCampaignRequest,
  SaveCouponCampaignResponse,
  SetCouponCampaignStatusRequest,
  SetCouponCampaignStatusResponse,
} from '@domain/contracts/coupons';
import { call } from './cloud';

export const listCouponCampaigns = (req: ListCouponCampaignsRequest) => call<ListCouponCampaignsResponse>('listCouponCampaigns', req);
export const saveCouponCampaign = (req: SaveCouponCampaignRequest) => call<SaveCouponCampaignResponse>('saveCouponCampaign', req);
export const setCouponCampaignStatus = (req: SetCouponCampaignStatusRequest) => call<SetCouponCampaignStatusResponse>('setCouponCampaignStatus', req);
export const getCouponCampaignReport = (req: GetCouponCampaignReportRequest) => call<GetCouponCampaignReportResponse>('getCouponCampaignReport', req);
