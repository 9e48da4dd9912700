import * as z from './schema';
import type { UserProfile } from '../users/profile';

/** `login`: records the visit of the calling learner (identity from WeChat, never from the request). */
export const loginRequest = z.strictObject({});

export type LoginRequest = z.infer<typeof loginRequest>;
export type LoginResponse = { profile: UserProfile; firstLogin: boolean };
