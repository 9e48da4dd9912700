import { loadModule, newLearner } from '../support/miniprogram';
import type { ClientDatabase } from '../support/wx/database';

/** `wx.cloud.database()` in the launched app: the learner's own reads and writes, under the security rules. */
interface CloudService {
  callFunction(name: string, data: object): Promise<unknown>;
}

const wx = () => (globalThis as unknown as { wx: { cloud: { database(): ClientDatabase } } }).wx;

describe('wx.cloud.database() in the mini program', () => {
  it("reads the learner's own user document (callback style), and refuses another learner's", async () => {
    const me = newLearner();
    const { module: cloud, cloud: session, settle } = loadModule<CloudService>('services/cloud', { openid: me });
    await cloud.callFunction('login', {});

    const outcomes: Array<{ ok: boolean; res: unknown }> = [];
    wx().cloud.database().collection('users').doc(me).get({
      success: (res) => outcomes.push({ ok: true, res }),
      fail: (err) => outcomes.push({ ok: false, res: err }),
    });
    await settle();
    expect(outcomes).toEqual([{ ok: true, res: { data: expect.objectContaining({ _id: me }), errMsg: 'document.get:ok' } }]);

    session.openid = newLearner();
    wx().cloud.database().collection('users').doc(me).get({
      success: (res) => outcomes.push({ ok: true, res }),
      fail: (err) => outcomes.push({ ok: false, res: err }),
    });
    await settle();
    expect(outcomes[1]).toEqual({ ok: false, res: expect.objectContaining({ errCode: -502003 }) });
  });

  it('refuses (promise style) a read of every user and any write of users', async () => {
    const me = newLearner();
    const { module: cloud } = loadModule<CloudService>('services/cloud', { openid: me });
    await cloud.callFunction('login', {});
    const users = wx().cloud.database().collection('users');
    await expect(users.get()).rejects.toMatchObject({ errCode: -502003, errMsg: expect.stringContaining('collection.get:fail') });
    await expect(users.doc(me).update({ data: { roles: ['admin'] } })).rejects.toMatchObject({
      errCode: -502003,
      errMsg: expect.stringContaining('document.update:fail'),
    });
  });
});
