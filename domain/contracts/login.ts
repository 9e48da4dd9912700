import * as z from './schema';

/** `login`: records the visit of the calling learner (identity from WeChat, never from the request). */
export const loginRequest = z.strictObject({});

export interface UserProfile {
  openid: string;
  nickname: string;
  avatarUrl: string;
  createdAt: Date;
  lastLoginAt: Date;
}

export type LoginRequest = z.infer<typeof loginRequest>;
export type LoginResponse = { profile: UserProfile; firstLogin: boolean };
