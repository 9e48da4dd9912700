import { fileId } from './homework';
import type { UserProfile } from './login';
import * as z from './schema';

/** A nickname as WeChat's nickname field fills it: trimmed, 1 to 20 characters. */
export const NICKNAME_MAX = 20;

/**
 * `updateProfile`: the learner's nickname (WeChat's `<input type="nickname">`) and/or avatar (the file the
 * learner uploaded under `avatars/<their openid>/` from `<button open-type="chooseAvatar">`).
 */
export const updateProfileRequest = z
  .strictObject({
    nickname: z.optional(z.string().check(z.trim(), z.minLength(1, '昵称不能为空'), z.maxLength(NICKNAME_MAX, `昵称最多 ${NICKNAME_MAX} 个字`))),
    avatarFileId: z.optional(fileId),
  })
  .check(z.refine((r) => r.nickname !== undefined || r.avatarFileId !== undefined, '请修改昵称或头像'));
export type UpdateProfileRequest = z.input<typeof updateProfileRequest>;
export interface UpdateProfileResponse {
  profile: UserProfile;
}
