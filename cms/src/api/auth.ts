import type { GetMyStaffProfileResponse } from '@domain/contracts/staff';
import type { Reply } from '@domain/contracts/result';
import { call, cloud } from './cloud';

export type StaffProfile = GetMyStaffProfileResponse;

/** Signs in with a CloudBase username and password account, then reads who that is on the school's staff. */
export async function signIn(username: string, password: string): Promise<Reply<StaffProfile>> {
  const { error } = await cloud().auth().signInWithPassword({ username, password });
  if (error) {
    const unknownUser = /not_found|not exist|不存在/i.test(`${error.code ?? ''} ${error.message ?? ''}`);
    return { ok: false, code: 'UNAUTHENTICATED', message: unknownUser ? '账号不存在' : '账号或密码错误' };
  }
  const profile = await myProfile();
  if (!profile.ok) {
    await signOut();
    return profile.code === 'FORBIDDEN' ? { ok: false, code: 'FORBIDDEN', message: '该账号不是本校员工，或已被停用' } : profile;
  }
  return profile;
}

/** The staff member of a session kept from an earlier visit; a failed reply when there is none. */
export async function restoreSession(): Promise<Reply<StaffProfile>> {
  const { data } = await cloud().auth().getSession();
  if (!data?.session) return { ok: false, code: 'UNAUTHENTICATED', message: '请先登录' };
  return myProfile();
}

export const myProfile = () => call<StaffProfile>('getMyStaffProfile');

export async function signOut(): Promise<void> {
  await cloud().auth().signOut();
}
