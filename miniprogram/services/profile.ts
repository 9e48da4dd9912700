/**
 * The learner's own profile: the avatar WeChat's chooseAvatar hands over (a temp file), uploaded under the
 * learner's avatar folder (the only other place the storage rules let them write: avatars/<openid>/), and
 * `updateProfile`, which checks the nickname and the avatar before others see them.
 */
import type { UpdateProfileRequest, UpdateProfileResponse } from '../../domain/contracts/profile';
import { callFunction, ServiceError, type Jsonified } from './cloud';
import { transport } from './transport/index';
import { login } from './user';

/** Changes the nickname and/or the avatar (a file ID from `uploadAvatar`); answers the profile as saved. */
export function updateProfile(request: UpdateProfileRequest): Promise<Jsonified<UpdateProfileResponse>> {
  return callFunction<UpdateProfileRequest, UpdateProfileResponse>('updateProfile', request);
}

/** Uploads the avatar the learner chose (a local temp path); answers its file ID. */
export async function uploadAvatar(openid: string, filePath: string): Promise<string> {
  const ext = /\.(\w+)$/.exec(filePath)?.[1] ?? 'jpg';
  try {
    return await transport().uploadFile(`avatars/${openid}/${Date.now()}.${ext}`, filePath);
  } catch (e) {
    throw new ServiceError('NETWORK', '头像上传失败，请检查网络后重试', e);
  }
}

/** The learner's profile as it stands (the login records the visit and answers it). */
export async function myProfile() {
  return (await login()).profile;
}
