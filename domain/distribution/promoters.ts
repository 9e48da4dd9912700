/**
 * Learners who share: every learner who shares gets a code (`promoters`, `_id = openid`), which is what a
 * share or a poster carries instead of their openid; a learner who joins as a promoter (`joinedAt`) earns
 * commissions on what the buyers bound to them pay. A buyer opening a share is bound to its code's learner
 * (`referrals`, `_id = the buyer`) unless still bound to another: the first referrer keeps them for
 * `bindDays`, and nobody refers themselves.
 */
import { randomInt } from 'node:crypto';
import { isDuplicateKey, readIfExists, type Database } from '../../server/database';
import type { BindReferrerResponse, PromoterProfileView } from '../contracts/distribution';
import { isNewLearner } from '../coupons/claim';
import { DomainError } from '../errors';
import type { OrderReferral } from '../orders/model';
import { distributionSettings } from './settings';
import { PROMOTERS, rateFor, REFERRALS, type DistributionSettings, type Promoter, type Referral } from './model';

const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
const CODE_LENGTH = 8;
const DAY_MS = 86_400_000;

/** A new share code: 8 characters without look-alikes (0/O, 1/I), about 10^12 of them. */
const newCode = () => Array.from({ length: CODE_LENGTH }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join('');

async function promoterOf(db: Database, openid: string): Promise<Promoter | undefined> {
  return (await db.collection<Promoter>(PROMOTERS).where({ _id: openid }).get()).data[0];
}

/**
 * The learner's sharing record, created with a code the first time they share: one request when it exists,
 * three otherwise (the read, the insert, and a read again when a concurrent first share inserted it first).
 */
export async function sharerOf(db: Database, openid: string, now: Date): Promise<Promoter> {
  const existing = await promoterOf(db, openid);
  if (existing) return existing;
  const created: Promoter = { _id: openid, code: newCode(), createdAt: now };
  try {
    await db.collection<Promoter>(PROMOTERS).add({ data: created });
    return created;
  } catch (e) {
    if (!isDuplicateKey(e)) throw e;
    const raced = await promoterOf(db, openid);
    if (!raced) throw e;
    return raced;
  }
}

/** Whether binding does anything: distribution is on, or the school rewards invitations. */
const referring = (settings: Pick<DistributionSettings, 'enabled' | 'inviteRewardCampaignId'>) => settings.enabled || !!settings.inviteRewardCampaignId;

async function joinRefusal(db: Database, openid: string, settings: Pick<DistributionSettings, 'enabled' | 'promoterRule'>): Promise<string | undefined> {
  if (!settings.enabled) return '学校暂未开放推广';
  if (settings.promoterRule === 'buyers' && (await isNewLearner(db, openid))) return '购买任意课程后即可成为推广员';
  return undefined;
}

function profileView(settings: DistributionSettings | Omit<DistributionSettings, 'updatedAt'>, promoter: Promoter | undefined, why: string | undefined): PromoterProfileView {
  const joined = !!promoter?.joinedAt;
  return {
    enabled: settings.enabled,
    promoter: joined,
    ...(promoter ? { code: promoter.code } : {}),
    canJoin: !joined && why === undefined,
    ...(!joined && why ? { why } : {}),
    rate: settings.rate,
  };
}

/** Whether the learner promotes (and their code), or may join, and why not. */
export async function getPromoterProfile(db: Database, openid: string): Promise<{ profile: PromoterProfileView }> {
  const [settings, promoter] = await Promise.all([distributionSettings(db), promoterOf(db, openid)]);
  const why = promoter?.joinedAt ? undefined : await joinRefusal(db, openid, settings);
  return { profile: profileView(settings, promoter, why) };
}

/** The learner becomes a promoter under the school's rule; joining twice changes nothing. */
export async function joinPromoters(db: Database, openid: string, now: Date): Promise<{ profile: PromoterProfileView }> {
  const settings = await distributionSettings(db);
  const why = await joinRefusal(db, openid, settings);
  if (why) throw new DomainError('CONFLICT', why);
  const sharer = await sharerOf(db, openid, now);
  const promoter = sharer.joinedAt ? sharer : { ...sharer, joinedAt: now };
  if (!sharer.joinedAt) await db.collection(PROMOTERS).doc(openid).update({ data: { joinedAt: now } });
  return { profile: profileView(settings, promoter, undefined) };
}

/**
 * Binds `openid` to the learner whose code they opened, in a transaction on their binding (so two shares
 * opened at once bind once): kept when still bound to another, bound again once that ended. Their own
 * code, an unknown one, or a school that neither distributes nor rewards invitations: ignored, silently
 * (a share is not the learner's mistake).
 */
export async function bindReferrer(db: Database, openid: string, code: string, now: Date): Promise<BindReferrerResponse> {
  const [settings, { data }] = await Promise.all([distributionSettings(db), db.collection<Promoter>(PROMOTERS).where({ code }).limit(1).get()]);
  const referrer = data[0];
  if (!referring(settings) || !referrer || referrer._id === openid) return { outcome: 'ignored' };
  return db.runTransaction(async (tx) => {
    const bound = await readIfExists<Omit<Referral, '_id'>>(tx, REFERRALS, openid);
    if (bound && bound.expiresAt > now) return { outcome: bound.referrer === referrer._id ? 'bound' : 'kept' };
    const referral: Omit<Referral, '_id'> = { referrer: referrer._id, code, boundAt: now, expiresAt: new Date(now.getTime() + settings.bindDays * DAY_MS) };
    await tx.collection<Omit<Referral, '_id'>>(REFERRALS).doc(openid).set({ data: referral });
    return { outcome: 'bound' };
  });
}

/**
 * The terms an order for `courseId` is made under, when its buyer is bound to a referrer now: the rate
 * when the referrer is a promoter and distribution is on, the invitation campaign when the school rewards
 * invitations and this is the buyer's first purchase. Requests: the binding (alongside the order's other
 * reads); then, for a bound buyer only, the settings, the referrer and whether the buyer is new, at once.
 */
export async function referralFor(db: Database, openid: string, courseId: string, now: Date): Promise<OrderReferral | undefined> {
  const bound = (await db.collection<Referral>(REFERRALS).where({ _id: openid }).get()).data[0];
  if (!bound || bound.expiresAt <= now) return undefined;
  const [settings, promoter, isNew] = await Promise.all([distributionSettings(db), promoterOf(db, bound.referrer), isNewLearner(db, openid)]);
  const rate = settings.enabled && promoter?.joinedAt ? rateFor(settings, courseId) : 0;
  const inviteCampaignId = isNew ? settings.inviteRewardCampaignId : undefined;
  if (!rate && !inviteCampaignId) return undefined;
  return { referrer: bound.referrer, rate, ...(inviteCampaignId ? { inviteCampaignId } : {}) };
}
