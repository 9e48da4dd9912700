/** One typed call per coupon cloud function a learner uses. */
import type {
  ClaimCouponRequest,
  ClaimCouponResponse,
  GetCourseCouponsRequest,
  GetCourseCouponsResponse,
  ListMyCouponsRequest,
  ListMyCouponsResponse,
} from '../../domain/contracts/coupons';
import { callFunction, type Jsonified } from './cloud';

export type MyCoupon = Jsonified<ListMyCouponsResponse>['coupons'][number];
export type CourseCoupons = Jsonified<GetCourseCouponsResponse>;
export type CouponOption = CourseCoupons['coupons'][number];
export type ClaimableCampaign = CourseCoupons['claimable'][number];

/** Claims one coupon of a campaign for the learner. */
export function claimCoupon(campaignId: string): Promise<Jsonified<ClaimCouponResponse>> {
  return callFunction<ClaimCouponRequest, ClaimCouponResponse>('claimCoupon', { campaignId });
}

/** The learner's coupons (of one status), usable ones first. */
export function listMyCoupons(request: ListMyCouponsRequest = {}): Promise<Jsonified<ListMyCouponsResponse>> {
  return callFunction<ListMyCouponsRequest, ListMyCouponsResponse>('listMyCoupons', request);
}

/**
 * For one course: the campaigns the learner may claim now, and the coupons they hold with what each takes
 * off the price they would pay (`best`: the one that takes off most).
 */
export function getCourseCoupons(courseId: string): Promise<CourseCoupons> {
  return callFunction<GetCourseCouponsRequest, GetCourseCouponsResponse>('getCourseCoupons', { courseId });
}
