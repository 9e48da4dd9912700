/** One typed call per gift cloud function. */
import type {
  ClaimGiftRequest,
  ClaimGiftResponse,
  GetGiftRequest,
  GetGiftResponse,
  ListMyGiftsRequest,
  ListMyGiftsResponse,
} from '../../domain/contracts/gifts';
import { callFunction, type Jsonified } from './cloud';

export type GiftDetail = Jsonified<GetGiftResponse>;
export type MyGift = Jsonified<ListMyGiftsResponse>['gifts'][number];

/** The gift behind a shared link, and whether the learner gave it, claimed it, or neither. */
export function getGift(giftId: string): Promise<GiftDetail> {
  return callFunction<GetGiftRequest, GetGiftResponse>('getGift', { giftId });
}

/** The learner takes the gift: the course becomes theirs. Claiming again answers the same. */
export function claimGift(giftId: string): Promise<Jsonified<ClaimGiftResponse>> {
  return callFunction<ClaimGiftRequest, ClaimGiftResponse>('claimGift', { giftId });
}

/** The gifts the learner bought, newest first, one page. */
export function listMyGifts(request: ListMyGiftsRequest): Promise<Jsonified<ListMyGiftsResponse>> {
  return callFunction<ListMyGiftsRequest, ListMyGiftsResponse>('listMyGifts', request);
}

/** Where a gift's link leads: the claim page. */
export const giftPath = (giftId: string) => `/packages/gift/claim/index?giftId=${giftId}`;
