import { readIfExists, type Transaction } from '../../server/database';
import { GIFTS, type Gift, type GiftStatus } from './model';

type GiftData = Omit<Gift, '_id'>;

/** The gift an order paid for (its `_id` is the order's), read in the caller's transaction; null when none was issued. */
const readGift = (tx: Transaction, giftId: string) => readIfExists<GiftData>(tx, GIFTS, giftId);

const setStatus = (tx: Transaction, giftId: string, data: Partial<GiftData> & { status: GiftStatus }) =>
  tx.collection<GiftData>(GIFTS).doc(giftId).update({ data });

/**
 * A refund of the gift's order is under way: an unclaimed gift becomes `refunding`, so no friend claims
 * a course whose money is going back (claimGift reads the gift in its own transaction, so the two
 * serialize). Answers the gift as it is now (a claimed one is left as it is), null when there is none.
 */
export async function holdGiftForRefund(tx: Transaction, giftId: string): Promise<GiftData | null> {
  const gift = await readGift(tx, giftId);
  if (gift?.status !== 'unclaimed') return gift;
  await setStatus(tx, giftId, { status: 'refunding' });
  return { ...gift, status: 'refunding' };
}

/** The refund was rejected or failed: a gift held for it can be claimed again. */
export async function releaseGiftFromRefund(tx: Transaction, giftId: string): Promise<void> {
  const gift = await readGift(tx, giftId);
  if (gift?.status === 'refunding') await setStatus(tx, giftId, { status: 'unclaimed' });
}

/**
 * The money of the gift went back: the gift becomes `refunded` (nobody may claim it; a friend who claimed
 * it keeps `claimedBy` so they see what happened). Answers the gift as it was, so the caller can take the
 * course back from a friend who claimed it; null when there is no gift or it was refunded already.
 */
export async function markGiftRefunded(tx: Transaction, giftId: string, now: Date): Promise<GiftData | null> {
  const gift = await readGift(tx, giftId);
  if (!gift || gift.status === 'refunded') return null;
  await setStatus(tx, giftId, { status: 'refunded', refundedAt: now });
  return gift;
}
