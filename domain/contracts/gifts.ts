import type { GiftStatus } from '../gifts/model';
import { paging } from './paging';
import * as z from './schema';

const giftId = z.string().check(z.minLength(1), z.maxLength(64), z.regex(/^[A-Za-z0-9_-]+$/, '礼物编号格式不正确'));

/** A gift as the claim page shows it: never the giver's or the claimer's openid. */
export interface GiftView {
  id: string;
  courseId: string;
  title: string;
  cover?: string;
  /** the giver's nickname when viewed */
  fromNickname: string;
  /** `refunding`: the giver's refund is under way, nobody may claim it; `refunded`: the money went back */
  status: GiftStatus;
  createdAt: Date;
  claimedAt?: Date;
  refundedAt?: Date;
}

/** Who is looking at a gift: the one who bought it, the one who claimed it, or anyone else with the link. */
export type GiftViewer = 'giver' | 'claimer' | 'guest';

/** `getGift`: the gift behind a shared link. */
export const getGiftRequest = z.strictObject({ giftId });
export type GetGiftRequest = z.infer<typeof getGiftRequest>;
export interface GetGiftResponse {
  gift: GiftView;
  viewer: GiftViewer;
}

/** `claimGift`: the caller takes the gift; the same caller again gets the same answer. */
export const claimGiftRequest = z.strictObject({ giftId });
export type ClaimGiftRequest = z.infer<typeof claimGiftRequest>;
export interface ClaimGiftResponse {
  /** the course the caller may now study */
  courseId: string;
  claimedAt: Date;
}

/** `listMyGifts`: the gifts the caller bought, newest first, one page. */
export const listMyGiftsRequest = z.strictObject({ ...paging });
export type ListMyGiftsRequest = z.input<typeof listMyGiftsRequest>;
export interface ListMyGiftsResponse {
  gifts: Array<Omit<GiftView, 'fromNickname'>>;
  page: number;
  hasMore: boolean;
}
