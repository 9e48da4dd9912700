/**
 * Profile editing: the learner's nickname and avatar, as WeChat's avatar and nickname components give them
 * (after the privacy authorization). What others see is checked first: the nickname by content security,
 * the avatar as the learner's own upload.
 */
import type { Database } from '../../server/database';
import type { ContentSecurity, Verdict } from '../../server/security';
import { pathOf, type Storage } from '../../server/storage';
import type { UpdateProfileResponse } from '../contracts/profile';
import type { UserProfile } from '../contracts/login';
import { DomainError } from '../errors';
import { recordMediaChecks, startMediaChecks, type MediaCheck } from '../moderation/media';
import { USERS } from './profile';

/** Where the profile page uploads avatars (cloud.config.json storage rules let the learner write only there). */
export const avatarFolderOf = (openid: string) => `avatars/${openid}/`;

/** An avatar is a small picture: WeChat's chooseAvatar hands over a compressed one. */
const MAX_AVATAR_BYTES = 2 * 1024 * 1024;

/**
 * Changes the learner's nickname and/or avatar. The nickname goes through msgSecCheck (scene 1, a profile):
 * anything but `pass` is refused, since a nickname is shown to others at once with no one to look first.
 * The avatar must be the learner's own existing upload under their folder; `avatarUrl` keeps its file ID,
 * which `<image>` shows (storage rules let anyone read avatars). A new avatar goes to WeChat's media check,
 * which takes it down afterwards if it must. Requests: the profile, then a transaction: begin, the write,
 * the check's record (for a new avatar), commit (4 or 5).
 * Check-ins and reviews copy the name and avatar when written, so those written afterwards show the new ones.
 */
export async function updateProfile(
  db: Database,
  files: Storage,
  security: ContentSecurity,
  openid: string,
  change: { nickname?: string; avatarFileId?: string },
  now: Date,
): Promise<UpdateProfileResponse> {
  if (change.avatarFileId !== undefined && !pathOf(change.avatarFileId).startsWith(avatarFolderOf(openid))) {
    throw new DomainError('FORBIDDEN', '只能使用自己上传的头像');
  }
  const [users, verdict, avatar] = await Promise.all([
    db.collection<Omit<UserProfile, 'openid'>>(USERS).where({ _id: openid }).field({ nickname: true, avatarUrl: true, createdAt: true, lastLoginAt: true }).get(),
    change.nickname !== undefined ? security.checkText(openid, change.nickname, 1) : Promise.resolve('pass' as const),
    change.avatarFileId !== undefined ? files.inspect([change.avatarFileId], 3_600).then((found) => found.get(change.avatarFileId!) ?? null) : Promise.resolve(undefined),
  ]);
  const user = users.data[0];
  if (!user) throw new DomainError('NOT_FOUND', '请先登录后再修改资料');
  if (verdict !== 'pass') throw new DomainError('CONTENT_REJECTED', '昵称未通过微信内容安全检测，请换一个');
  if (avatar === null) throw new DomainError('INVALID_INPUT', '头像文件不存在，请重新选择');
  if (avatar && avatar.size > MAX_AVATAR_BYTES) throw new DomainError('INVALID_INPUT', '头像图片不能超过 2MB');

  const nickname = change.nickname ?? user.nickname;
  const avatarUrl = change.avatarFileId ?? user.avatarUrl;
  // The picture shows at once; WeChat's media check takes it down afterwards if it must (applyAvatarVerdict).
  const { checks } = avatar
    ? await startMediaChecks(security, openid, { kind: 'avatar', id: openid, submission: avatarUrl }, [{ fileId: avatarUrl, kind: 'image', url: avatar.url }], 1, now)
    : { checks: [] };
  await db.runTransaction(async (tx) => {
    await tx.collection(USERS).doc(openid).update({ data: { nickname, avatarUrl, profileUpdatedAt: now } });
    await recordMediaChecks(tx, checks);
  });
  return { profile: { openid, nickname, avatarUrl, createdAt: user.createdAt, lastLoginAt: user.lastLoginAt } };
}

/**
 * WeChat's verdict on an avatar (domain/moderation/media.ts): anything but a pass takes it down, when the
 * learner still uses that picture, and they are back to the default one.
 */
export async function applyAvatarVerdict(db: Database, check: MediaCheck, verdict: Verdict): Promise<string> {
  if (verdict === 'pass') return `avatar of ${check.target.id}: pass`;
  const { stats } = await db.collection(USERS).where({ _id: check.target.id, avatarUrl: check.target.submission }).update({ data: { avatarUrl: '' } });
  return stats.updated ? `avatar of ${check.target.id}: ${verdict}, taken down` : `stale: ${check.target.id} no longer uses ${check.fileId}`;
}
