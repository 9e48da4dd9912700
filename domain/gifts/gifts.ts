import { pageOf, readIfExists, type Database, type Transaction } from '../../server/database';
import { grantAccess, runGrant, type GrantMode } from '../access/grant';
import type { ClaimGiftResponse, GetGiftResponse, GiftView, listMyGiftsRequest, ListMyGiftsResponse } from '../contracts/gifts';
import type * as z from '../contracts/schema';
import { DomainError } from '../errors';
import { defaultNickname, USERS } from '../users/profile';
import { GIFTS, type Gift } from './model';

type GiftData = Omit<Gift, '_id'>;

const toView = (gift: Gift): Omit<GiftView, 'fromNickname'> => ({
  id: gift._id,
  courseId: gift.courseId,
  title: gift.title,
  ...(gift.cover ? { cover: gift.cover } : {}),
  status: gift.status,
  createdAt: gift.createdAt,
  ...(gift.claimedAt ? { claimedAt: gift.claimedAt } : {}),
  ...(gift.refundedAt ? { refundedAt: gift.refundedAt } : {}),
});

/**
 * The gift behind a shared link, with the giver's nickname, for whoever opens it: two requests, the
 * gift then its giver. The caller learns whether it is theirs (given or claimed), never who else is.
 */
export async function getGift(db: Database, openid: string, giftId: string): Promise<GetGiftResponse> {
  const gift = (await db.collection<Gift>(GIFTS).where({ _id: giftId }).get()).data[0];
  if (!gift) throw new DomainError('NOT_FOUND', '礼物不存在或链接有误');
  const giver = (await db.collection<{ nickname: string }>(USERS).where({ _id: gift.from }).field({ nickname: true }).get()).data[0];
  return {
    gift: { ...toView(gift), fromNickname: giver?.nickname || defaultNickname(gift.from) },
    viewer: gift.from === openid ? 'giver' : gift.claimedBy === openid ? 'claimer' : 'guest',
  };
}

/** Why a claim did not go through, decided inside the transaction and reported after it. */
type Refusal = { code: 'NOT_FOUND' | 'CONFLICT' | 'FORBIDDEN' | 'ALREADY_OWNED'; message: string };

/**
 * The caller takes a gift: in one transaction keyed by the gift, the course is granted to them (source:
 * the gift) and the gift is marked claimed, or nothing happens. The giver cannot claim their own gift; a
 * learner who already holds the course is refused and the gift stays unclaimed for someone else (a
 * course open to them only through membership does not count: membership ends, a gift does not). The
 * same claimer again gets the same answer, changing nothing. A gift whose refund is under way or done
 * cannot be claimed (its claimer lost the course with the refund).
 *
 * 5 requests (begin, the gift, the entitlement's insert, the gift's write, commit); like a payment, the
 * grant inserts without reading, and a learner who held the course before (an existing entitlement) makes
 * it fail with a duplicate key: the transaction then runs again reading it.
 */
export async function claimGift(db: Database, openid: string, giftId: string, now: Date): Promise<ClaimGiftResponse> {
  const outcome = await runGrant(db, (tx, mode) => claimIn(tx, openid, giftId, now, mode));
  if ('code' in outcome) throw new DomainError(outcome.code, outcome.message);
  return outcome;
}

async function claimIn(tx: Transaction, openid: string, giftId: string, now: Date, mode: GrantMode): Promise<ClaimGiftResponse | Refusal> {
  const gift = await readIfExists<GiftData>(tx, GIFTS, giftId);
  if (!gift) return { code: 'NOT_FOUND', message: '礼物不存在或链接有误' };
  // The money went back (or is going back): the course is no longer anyone's to take, its claimer's included.
  if (gift.status === 'refunded') return { code: 'CONFLICT', message: '这份礼物已退款，无法领取' };
  if (gift.status === 'refunding') return { code: 'CONFLICT', message: '送礼人正在办理退款，这份礼物暂不能领取' };
  if (gift.status === 'claimed') {
    if (gift.claimedBy === openid) return { courseId: gift.courseId, claimedAt: gift.claimedAt! };
    return { code: 'CONFLICT', message: '这份礼物已被其他好友领取' };
  }
  if (gift.from === openid) return { code: 'FORBIDDEN', message: '这是你送出的礼物，分享给好友领取吧' };
  const course = { kind: 'course' as const, courseId: gift.courseId, title: gift.title, ...(gift.cover ? { cover: gift.cover } : {}) };
  const granted = await grantAccess(tx, { openid, item: course, source: { kind: 'gift', giftId } }, now, mode);
  if (granted === 'ownedElsewhere') return { code: 'ALREADY_OWNED', message: '你已拥有这门课程，无需领取，礼物可以留给其他好友' };
  // 'alreadyGranted' cannot meet an unclaimed gift: the grant and the claim commit together.
  await tx.collection<GiftData>(GIFTS).doc(giftId).update({ data: { status: 'claimed', claimedBy: openid, claimedAt: now } });
  return { courseId: gift.courseId, claimedAt: now };
}

/** The gifts the learner bought, newest first, one page, in one request through the `from_createdAt` index. */
export async function listMyGifts(db: Database, openid: string, req: z.output<typeof listMyGiftsRequest>): Promise<ListMyGiftsResponse> {
  const { items, page, hasMore } = await pageOf(db.collection<Gift>(GIFTS).where({ from: openid }).orderBy('createdAt', 'desc').orderBy('_id', 'desc'), req);
  return { gifts: items.map(toView), page, hasMore };
}
