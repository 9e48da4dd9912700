import { createHash } from 'node:crypto';
import { isDuplicateKey, type Database } from '../../server/database';
import type { LoginResponse, UserProfile } from '../contracts/login';

export const USERS = 'users';

type UserDoc = Omit<UserProfile, 'openid'> & { _id: string };

const toProfile = ({ _id, ...rest }: UserDoc): UserProfile => ({ openid: _id, ...rest });

/** A new learner's display name until they set one: "学员" and the last four characters of the openid. */
export const defaultNickname = (openid: string) => `学员${openid.slice(-4)}`;

/**
 * A learner's number for watermarks and support: 8 digits derived from the openid, which it never reveals
 * (the openid identifies the learner to anyone holding the AppID's data; the number does not).
 */
export const learnerNumber = (openid: string) => String(createHash('sha256').update(`learner-number:${openid}`).digest().readUInt32BE(0) % 100_000_000).padStart(8, '0');

/**
 * Records a login: creates the learner's document on the first visit, otherwise stamps `lastLoginAt`.
 * Two requests either way; a concurrent first login of the same learner loses the insert race and
 * falls back to the stamp.
 */
export async function recordLogin(db: Database, openid: string, now: Date): Promise<LoginResponse> {
  const users = db.collection<Omit<UserDoc, '_id'> & { _id?: string }>(USERS);
  const { data } = await users.where({ _id: openid }).get();
  const existing = data[0];
  if (existing) {
    await users.doc(openid).update({ data: { lastLoginAt: now } });
    return { profile: toProfile({ ...existing, lastLoginAt: now }), firstLogin: false };
  }
  const created: UserDoc = { _id: openid, nickname: defaultNickname(openid), avatarUrl: '', createdAt: now, lastLoginAt: now };
  try {
    await users.add({ data: created });
  } catch (e) {
    if (!isDuplicateKey(e)) throw e;
    return recordLogin(db, openid, now);
  }
  return { profile: toProfile(created), firstLogin: true };
}
