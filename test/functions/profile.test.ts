import type { ListCheckInsResponse } from '../../domain/contracts/learning';
import type { LoginResponse } from '../../domain/contracts/login';
import type { UpdateProfileResponse } from '../../domain/contracts/profile';
import { call, ok } from '../support/commerce';
import { control, emulatorUrl, uniqueName } from '../support/sdk';

/**
 * Profile editing (issue 10): the nickname from WeChat's nickname field, checked by content security, and
 * the avatar from chooseAvatar, uploaded by the learner under avatars/<openid>/; others see them on what the
 * learner writes afterwards.
 */
const learner = () => uniqueName('o-profile');
const update = (openid: string, data: Record<string, unknown>) => call<UpdateProfileResponse>(openid, 'updateProfile', data);

/** The learner's `wx.cloud.uploadFile` through the client gateway, under the storage rules. */
async function uploadAvatar(openid: string, cloudPath = `avatars/${openid}/1.png`) {
  const res = await fetch(`${emulatorUrl()}/gateway/storage/uploadFile?${new URLSearchParams({ openid, cloudPath })}`, { method: 'POST', body: new Uint8Array(Buffer.from('png-bytes')) });
  const { fileID } = (await res.json()) as { fileID: string };
  expect(fileID).toBeTruthy();
  return fileID;
}

async function loggedIn() {
  const openid = learner();
  await ok<LoginResponse>(openid, 'login');
  return openid;
}

describe('updateProfile', () => {
  it('sets the nickname and the avatar, which the next login and the learner’s later check-ins show', async () => {
    const me = await loggedIn();
    const avatar = await uploadAvatar(me);
    const { reply, dbRequests } = await update(me, { nickname: '  小林同学 ', avatarFileId: avatar });
    expect(reply).toEqual({ ok: true, data: { profile: expect.objectContaining({ openid: me, nickname: '小林同学', avatarUrl: avatar }) } });
    // The profile; begin, the write, the avatar check's record, commit.
    expect(dbRequests).toBe(5);
    expect((await ok<LoginResponse>(me, 'login')).data.profile).toMatchObject({ nickname: '小林同学', avatarUrl: avatar });

    // A free course: anyone studies it, so another learner sees its check-ins.
    await ok(me, 'checkIn', { courseId: 'gongkao-intro', text: `换了新头像 ${me}` });
    const seen = await ok<ListCheckInsResponse>(learner(), 'listCheckIns', { courseId: 'gongkao-intro' });
    expect(seen.data.recent.find((r) => r.text === `换了新头像 ${me}`)).toMatchObject({ nickname: '小林同学', avatarUrl: avatar });
  });

  it('changes only what it is given', async () => {
    const me = await loggedIn();
    await ok(me, 'updateProfile', { nickname: '只改昵称' });
    const avatar = await uploadAvatar(me, `avatars/${me}/2.jpg`);
    expect((await ok<UpdateProfileResponse>(me, 'updateProfile', { avatarFileId: avatar })).data.profile).toMatchObject({ nickname: '只改昵称', avatarUrl: avatar });
  });

  it('refuses a nickname content security flags, risky or doubtful, keeping the old one', async () => {
    const me = await loggedIn();
    const refusal = { ok: false, code: 'CONTENT_REJECTED', message: '昵称未通过微信内容安全检测，请换一个' };
    expect((await update(me, { nickname: '加微信领资料' })).reply).toEqual(refusal);
    expect((await update(me, { nickname: '大笨蛋' })).reply).toEqual(refusal);
    expect((await ok<LoginResponse>(me, 'login')).data.profile.nickname).toBe(`学员${me.slice(-4)}`);
  });

  it('takes down an avatar WeChat’s media check refuses, back to the default', async () => {
    const me = await loggedIn();
    const fine = await uploadAvatar(me, `avatars/${me}/fine.png`);
    await ok(me, 'updateProfile', { avatarFileId: fine });
    await control('POST', `/openapi/media-checks/flush?openid=${me}`);
    expect((await ok<LoginResponse>(me, 'login')).data.profile.avatarUrl).toBe(fine);

    const risky = await uploadAvatar(me, `avatars/${me}/moderation-samples/risky/a.png`);
    expect((await ok<UpdateProfileResponse>(me, 'updateProfile', { avatarFileId: risky })).data.profile.avatarUrl).toBe(risky);
    await control('POST', `/openapi/media-checks/flush?openid=${me}`);
    expect((await ok<LoginResponse>(me, 'login')).data.profile.avatarUrl).toBe('');
  });

  it('takes only the learner’s own uploaded avatar, and a nickname of 1 to 20 characters', async () => {
    const [me, other] = [await loggedIn(), await loggedIn()];
    const theirs = await uploadAvatar(other);
    expect((await update(me, { avatarFileId: theirs })).reply).toEqual({ ok: false, code: 'FORBIDDEN', message: '只能使用自己上传的头像' });
    const missing = theirs.replace(`avatars/${other}/1.png`, `avatars/${me}/never-uploaded.png`);
    expect((await update(me, { avatarFileId: missing })).reply).toEqual({ ok: false, code: 'INVALID_INPUT', message: '头像文件不存在，请重新选择' });
    expect((await update(me, { nickname: '   ' })).reply).toMatchObject({ ok: false, code: 'INVALID_INPUT', message: expect.stringContaining('昵称不能为空') });
    expect((await update(me, { nickname: '一'.repeat(21) })).reply).toMatchObject({ ok: false, code: 'INVALID_INPUT', message: expect.stringContaining('昵称最多 20 个字') });
    expect((await update(me, {})).reply).toMatchObject({ ok: false, code: 'INVALID_INPUT', message: expect.stringContaining('请修改昵称或头像') });
    expect((await update(me, { nickname: '小林', openid: other })).reply).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
  });
});
