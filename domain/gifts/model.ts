export const GIFTS = 'gifts';

/**
 * Where a gift is:
 * - unclaimed: waiting for a friend
 * - claimed: a friend holds the course through it
 * - refunding: the giver's refund is under way (asked for, or started by staff) while it was unclaimed:
 *   nobody may claim it until the refund completes (refunded) or is rejected or fails (unclaimed again)
 * - refunded: the money went back; nobody may claim it, and a friend who had claimed it lost the course
 */
export type GiftStatus = 'unclaimed' | 'claimed' | 'refunding' | 'refunded';

/**
 * A course bought as a gift, waiting for a friend to claim it. `_id` is the id of the order that paid for
 * it: the payment issues it (grantAccess, in the payment's transaction), and the buyer shares it as a link.
 */
export interface Gift {
  _id: string;
  courseId: string;
  /** the course's title and cover when bought */
  title: string;
  cover?: string;
  /** the giver's openid */
  from: string;
  status: GiftStatus;
  /** kept when a claimed gift is refunded: the friend sees what happened to their course */
  claimedBy?: string;
  claimedAt?: Date;
  createdAt: Date;
  refundedAt?: Date;
}
