import type { ClaimCouponResponse, ListCouponCampaignsResponse, ListMyCouponsResponse, SaveCouponCampaignResponse, SetCouponCampaignStatusResponse } from '../../domain/contracts/coupons';
import type { ListAuditResponse } from '../../domain/contracts/staff';
import { buy, call, ok } from '../support/commerce';
import { campaignRequest, createCampaign } from '../support/coupons';
import { ownEmulatorForFile } from '../support/own-emulator';
import { connectSdk, uniqueName } from '../support/sdk';
import { callAsStaff, staffOk, uidOf } from '../support/staff';

/**
 * Coupons (issue 12, first step): campaigns saved and paused from the console, claimed by learners through
 * the gateway and the real SDK, correct under races (stock and the per-learner limit). Its own emulator:
 * the bursts of 500 claims would slow down what other files time on the shared one.
 */
ownEmulatorForFile('coupons');
const db = () => connectSdk().database();

const HOUR = 60 * 60 * 1000;
const PAID = 'excel-advanced';

const claim = (openid: string, campaignId: string) => call<ClaimCouponResponse>(openid, 'claimCoupon', { campaignId });
const storedCampaign = async (id: string) => (await db().collection<{ claimed: number; totalStock: number }>('couponCampaigns').doc(id).get()).data;
const couponCount = async (campaignId: string) => (await db().collection('coupons').where({ campaignId }).count()).total;

describe('claimCoupon under races', () => {
  it('gives exactly 100 coupons of a 100-stock campaign to 500 learners claiming at once', async () => {
    const { id } = await createCampaign({ totalStock: 100, perLearnerLimit: 1 });
    const learners = Array.from({ length: 500 }, (_, i) => `${uniqueName('o-coupon')}-${i}`);
    const started = Date.now();
    const replies = await Promise.all(learners.map((openid) => claim(openid, id).then((r) => r.reply)));
    const elapsed = Date.now() - started;
    console.log(`500 concurrent claims: ${elapsed} ms`);

    const won = replies.filter((r) => r.ok);
    const lost = replies.filter((r) => !r.ok);
    expect(won).toHaveLength(100);
    expect(lost.map((r) => !r.ok && `${r.code} ${r.message}`)).toEqual(Array(400).fill('CONFLICT 优惠券已领完'));
    expect(await storedCampaign(id)).toMatchObject({ claimed: 100, totalStock: 100 });
    expect(await couponCount(id)).toBe(100);
    // One coupon per winner, each its own.
    const holders = new Set(won.map((r) => r.ok && r.data.coupon.id.split(':')[1]));
    expect(holders.size).toBe(100);
  }, 120_000);

  it('gives one learner claiming 10 times at once exactly their limit of 2', async () => {
    const { id } = await createCampaign({ perLearnerLimit: 2 });
    const me = uniqueName('o-coupon');
    const replies = (await Promise.all(Array.from({ length: 10 }, () => claim(me, id)))).map((r) => r.reply);

    expect(replies.filter((r) => r.ok)).toHaveLength(2);
    expect(replies.filter((r) => !r.ok).map((r) => !r.ok && `${r.code} ${r.message}`)).toEqual(Array(8).fill('CONFLICT 每人限领 2 张'));
    expect((await ok<ListMyCouponsResponse>(me, 'listMyCoupons')).data.coupons.map((c) => c.id).sort()).toEqual([`${id}:${me}:1`, `${id}:${me}:2`]);
    expect(await storedCampaign(id)).toMatchObject({ claimed: 2 });
  });
});

describe('claimCoupon', () => {
  it('snapshots the rule into the coupon, expiring with the window or days after claiming', async () => {
    const window = await createCampaign({ rule: { kind: 'threshold', minAmount: 10000, amountOff: 2000 }, scope: { courseIds: [PAID] } });
    const days = await createCampaign({ rule: { kind: 'percent', percentOff: 20, capAmount: 3000 }, validFrom: undefined, validUntil: undefined, validDays: 7 });
    const me = uniqueName('o-coupon');

    const { data, dbRequests } = await ok<ClaimCouponResponse>(me, 'claimCoupon', { campaignId: window.id });
    const first = data.coupon;
    // The campaign; begin, the learner's slot 1, the campaign, its update and the coupon, commit.
    expect(dbRequests).toBe(7);
    expect(first).toMatchObject({ id: `${window.id}:${me}:1`, campaignId: window.id, title: window.title, rule: { kind: 'threshold', minAmount: 10000, amountOff: 2000 }, scope: { courseIds: [PAID] }, status: 'available' });
    expect(new Date(first.expiresAt).getTime()).toBe(new Date(window.validUntil!).getTime());
    const second = (await ok<ClaimCouponResponse>(me, 'claimCoupon', { campaignId: days.id })).data.coupon;
    expect(new Date(second.expiresAt).getTime() - new Date(second.claimedAt).getTime()).toBe(7 * 24 * HOUR);
    // An edit later changes what the next claims get, not the coupon held.
    await staffOk('editor', 'saveCouponCampaign', { ...campaignRequest({ rule: { kind: 'amount', amountOff: 1 } }), campaignId: window.id });
    expect((await ok<ListMyCouponsResponse>(me, 'listMyCoupons')).data.coupons.find((c) => c.id === first.id)?.rule).toEqual(first.rule);
  });

  it('refuses a paused campaign, and claims again once resumed (audited)', async () => {
    const { id } = await createCampaign();
    const paused = await staffOk<SetCouponCampaignStatusResponse>('editor', 'setCouponCampaignStatus', { campaignId: id, status: 'paused' });
    expect(paused.data.campaign.status).toBe('paused');
    const me = uniqueName('o-coupon');
    expect((await claim(me, id)).reply).toEqual({ ok: false, code: 'CONFLICT', message: '优惠券已暂停发放' });
    // An edit that does not name the status keeps the campaign paused.
    const edited = await staffOk<SaveCouponCampaignResponse>('editor', 'saveCouponCampaign', { ...campaignRequest({ totalStock: 120 }), campaignId: id });
    expect(edited.data.campaign).toMatchObject({ status: 'paused', totalStock: 120 });
    expect((await claim(me, id)).reply).toMatchObject({ ok: false, message: '优惠券已暂停发放' });

    await staffOk('editor', 'setCouponCampaignStatus', { campaignId: id, status: 'active' });
    expect((await claim(me, id)).reply.ok).toBe(true);
    const { entries } = (await staffOk<ListAuditResponse>('owner', 'listAudit', { targetId: id })).data;
    expect(entries.map((e) => [e.action, e.target, e.by.uid, e.after.status])).toEqual([
      ['campaigns.manage', { kind: 'coupon', id }, uidOf('editor'), 'active'],
      ['campaigns.manage', { kind: 'coupon', id }, uidOf('editor'), 'paused'],
      ['campaigns.manage', { kind: 'coupon', id }, uidOf('editor'), 'paused'],
      ['campaigns.manage', { kind: 'coupon', id }, uidOf('editor'), 'active'],
    ]);
    expect(entries.map((e) => e.summary)).toEqual(expect.arrayContaining([expect.stringMatching(/^创建优惠券「/), expect.stringMatching(/^暂停发放优惠券「/)]));
  });

  it('refuses a campaign past its window, and an unknown one', async () => {
    const { id } = await createCampaign({
      validFrom: new Date(Date.now() - 48 * HOUR).toISOString() as unknown as Date,
      validUntil: new Date(Date.now() - HOUR).toISOString() as unknown as Date,
    });
    expect((await claim(uniqueName('o-coupon'), id)).reply).toEqual({ ok: false, code: 'CONFLICT', message: '优惠券已过期' });
    expect((await claim(uniqueName('o-coupon'), 'no-such-campaign')).reply).toMatchObject({ ok: false, code: 'NOT_FOUND' });
  });

  it('refuses a new-learners-only coupon to a learner who bought a course', async () => {
    const { id } = await createCampaign({ newLearnersOnly: true });
    const buyer = uniqueName('o-coupon');
    await buy(buyer, { courseId: PAID });
    expect((await claim(buyer, id)).reply).toEqual({ ok: false, code: 'CONFLICT', message: '该优惠券仅限新学员领取' });
    expect((await claim(uniqueName('o-coupon'), id)).reply.ok).toBe(true);
  });
});

describe('listMyCoupons', () => {
  it('lists usable coupons first, newest first, and shows a coupon past its expiry as expired', async () => {
    const me = uniqueName('o-coupon');
    const a = await createCampaign();
    const b = await createCampaign();
    const old = (await ok<ClaimCouponResponse>(me, 'claimCoupon', { campaignId: a.id })).data.coupon;
    const newer = (await ok<ClaimCouponResponse>(me, 'claimCoupon', { campaignId: b.id })).data.coupon;
    const c = await createCampaign();
    const newest = (await ok<ClaimCouponResponse>(me, 'claimCoupon', { campaignId: c.id })).data.coupon;
    // Data setup: the newest coupon's time ran out.
    await db().collection('coupons').doc(newest.id).update({ data: { expiresAt: new Date(Date.now() - 1000) } });

    const listed = await ok<ListMyCouponsResponse>(me, 'listMyCoupons');
    expect(listed.dbRequests).toBe(1);
    const all = listed.data.coupons;
    expect(all.map((x) => [x.id, x.status])).toEqual([
      [newer.id, 'available'],
      [old.id, 'available'],
      [newest.id, 'expired'],
    ]);
    expect((await ok<ListMyCouponsResponse>(me, 'listMyCoupons', { status: 'expired' })).data.coupons.map((x) => x.id)).toEqual([newest.id]);
  });
});

describe('coupon campaigns in the console', () => {
  it('lists campaigns newest first, by status', async () => {
    const first = await createCampaign();
    const second = await createCampaign();
    await staffOk('owner', 'setCouponCampaignStatus', { campaignId: first.id, status: 'paused' });
    const active = (await staffOk<ListCouponCampaignsResponse>('editor', 'listCouponCampaigns', { status: 'active', pageSize: 20 })).data.campaigns.map((c) => c.id);
    expect(active).toContain(second.id);
    expect(active).not.toContain(first.id);
    const all = (await staffOk<ListCouponCampaignsResponse>('owner', 'listCouponCampaigns', { pageSize: 20 })).data.campaigns.map((c) => c.id);
    expect(all.indexOf(second.id)).toBeLessThan(all.indexOf(first.id));
  });

  it.each([
    ['a percentage of 100', { rule: { kind: 'percent', percentOff: 100, capAmount: 500 } }, '折扣比例应在 1% 到 99% 之间'],
    ['a percentage without its cap', { rule: { kind: 'percent', percentOff: 20 } }, '请填写最多减免金额'],
    ['a threshold not above the amount off', { rule: { kind: 'threshold', minAmount: 1000, amountOff: 1000 } }, '使用门槛应高于减免金额'],
    ['a window ending before it starts', { validFrom: '2027-02-01T00:00:00+08:00', validUntil: '2027-01-01T00:00:00+08:00' }, '结束时间应晚于开始时间'],
    ['no validity', { validFrom: undefined, validUntil: undefined }, '请填写开始时间'],
    ['a limit of 11 a learner', { perLearnerLimit: 11 }, '每人最多限领 10 张'],
  ] as Array<[string, Record<string, unknown>, string]>)('refuses %s (INVALID_INPUT)', async (_, over, message) => {
    const { reply } = await callAsStaff('editor', 'saveCouponCampaign', { ...campaignRequest(), ...over });
    expect(reply).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
    expect(!reply.ok && reply.message).toContain(message);
  });

  it('refuses a stock below what was claimed, and keeps the counter on an edit', async () => {
    const { id } = await createCampaign({ totalStock: 5, perLearnerLimit: 3 });
    const me = uniqueName('o-coupon');
    for (let i = 0; i < 3; i++) await ok(me, 'claimCoupon', { campaignId: id });
    expect((await callAsStaff('editor', 'saveCouponCampaign', { ...campaignRequest({ totalStock: 2 }), campaignId: id })).reply).toEqual({
      ok: false,
      code: 'INVALID_INPUT',
      message: '发放总量不能少于已领取的 3 张',
    });
    const saved = await staffOk<SaveCouponCampaignResponse>('editor', 'saveCouponCampaign', { ...campaignRequest({ totalStock: 3 }), campaignId: id });
    expect(saved.data).toMatchObject({ existed: true, campaign: { claimed: 3, totalStock: 3 } });
    expect((await claim(uniqueName('o-coupon'), id)).reply).toEqual({ ok: false, code: 'CONFLICT', message: '优惠券已领完' });
  });

  it('writes an audit entry with the campaign before and after', async () => {
    const created = await createCampaign();
    await staffOk('owner', 'saveCouponCampaign', { ...campaignRequest({ title: '新学员立减', totalStock: 50 }), campaignId: created.id });
    const { entries } = (await staffOk<ListAuditResponse>('owner', 'listAudit', { targetId: created.id })).data;
    expect(entries[0]).toMatchObject({
      by: { uid: uidOf('owner') },
      action: 'campaigns.manage',
      target: { kind: 'coupon', id: created.id },
      summary: '修改优惠券「新学员立减」',
      before: { title: created.title, totalStock: 100 },
      after: { title: '新学员立减', totalStock: 50, claimed: 0 },
    });
  });

  it('lets owners and editors past the role check, not teachers or support (as staff-roles.test.ts checks)', async () => {
    const seen: string[] = [];
    for (const name of ['listCouponCampaigns', 'saveCouponCampaign', 'setCouponCampaignStatus']) {
      for (const account of ['owner', 'editor', 'teacher', 'support'] as const) {
        const { reply } = await callAsStaff(account, name, { page: 'first', unexpected: true });
        seen.push(`${name} ${account} ${reply.ok ? 'ok' : reply.code}`);
      }
    }
    expect(seen).toEqual(['listCouponCampaigns', 'saveCouponCampaign', 'setCouponCampaignStatus'].flatMap((n) => [`${n} owner INVALID_INPUT`, `${n} editor INVALID_INPUT`, `${n} teacher FORBIDDEN`, `${n} support FORBIDDEN`]));
  });

  it('refuses support staff and learners', async () => {
    expect((await callAsStaff('support', 'saveCouponCampaign', campaignRequest())).reply).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    expect((await callAsStaff('teacher', 'listCouponCampaigns', {})).reply).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    expect((await call(uniqueName('o-coupon'), 'saveCouponCampaign', campaignRequest())).reply).toMatchObject({ ok: false, code: 'FORBIDDEN' });
  });
});
