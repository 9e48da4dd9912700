import type {
  BindReferrerResponse,
  GetPromoterProfileResponse,
  GetShareCodeResponse,
  GetWalletResponse,
  ListPromotersResponse,
  ListWithdrawalsResponse,
  RequestWithdrawalResponse,
  SaveDistributionSettingsRequest,
  SettleCommissionsReport,
} from '../../domain/contracts/distribution';
import type { ListMyCouponsResponse, SaveCouponCampaignResponse } from '../../domain/contracts/coupons';
import type { Reply } from '../../domain/contracts/result';
import type { Commission } from '../../domain/distribution/model';
import { buy, call, completeRefund, ok, orderOf, requestRefund, review } from '../support/commerce';
import { ownEmulatorForFile } from '../support/own-emulator';
import { connectSdk, control, uniqueName } from '../support/sdk';
import { callAsStaff, staffOk } from '../support/staff';

/**
 * Distribution and invitations (issue 12) through the gateway, cloud pay's sandbox and the real SDK: a buyer
 * bound to the first sharer, a commission pending with the payment, available after the refund window,
 * reversed by a refund in its transaction; the wallet, a withdrawal and staff's decision; an invitation's
 * coupon once the invitee's first purchase clears its window. Its own emulator: the school's settings it
 * changes apply to every order.
 */
ownEmulatorForFile('distribution');
const db = () => connectSdk().database();

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** ¥9.9, refundable within 7 days. */
const COURSE = 'excel-basics';
/** ¥199. */
const ADVANCED = 'excel-advanced';

const learner = () => uniqueName('o-dist');

const settings = (over: Partial<SaveDistributionSettingsRequest> = {}): SaveDistributionSettingsRequest => ({
  enabled: true,
  promoterRule: 'anyone',
  rate: 20,
  courseRates: [{ courseId: ADVANCED, rate: 30 }],
  bindDays: 30,
  ...over,
});
const saveSettings = (over: Partial<SaveDistributionSettingsRequest> = {}) => staffOk('owner', 'saveDistributionSettings', settings(over));

async function promoter(): Promise<{ openid: string; code: string }> {
  const openid = learner();
  const { profile } = (await ok<GetPromoterProfileResponse>(openid, 'joinPromoters')).data;
  expect(profile).toMatchObject({ promoter: true, canJoin: false });
  return { openid, code: profile.code! };
}

const bind = async (openid: string, code: string) => (await ok<BindReferrerResponse>(openid, 'bindReferrer', { code })).data.outcome;
const commissionOf = async (orderId: string) => (await db().collection<Commission>('commissions').doc(orderId).get()).data;
const wallet = async (openid: string) => (await ok<GetWalletResponse>(openid, 'getWallet')).data;

async function fireSettleCommissions() {
  const run = await control<{ status: string; result: Reply<SettleCommissionsReport> }>('POST', '/timers/settleCommissions/every10Minutes/fire', {});
  expect(run.status).toBe('ok');
  if (!run.result.ok) throw new Error(`settleCommissions: ${run.result.code} ${run.result.message}`);
  return run.result.data;
}

/** Data setup, not a mock: the order's refund window as if it had passed. */
const windowPassed = (orderId: string) => db().collection('commissions').doc(orderId).update({ data: { availableAt: new Date(Date.now() - HOUR) } });
const rewardWindowPassed = (invitee: string) => db().collection('inviteRewards').doc(invitee).update({ data: { availableAt: new Date(Date.now() - HOUR) } });

beforeAll(async () => {
  await saveSettings();
});

describe('distribution', () => {
  it('binds a buyer to the first sharer for the configured days, never to themselves', async () => {
    const first = await promoter();
    const second = await promoter();
    const buyer = learner();
    expect(await bind(first.openid, first.code)).toBe('ignored');
    expect(await bind(buyer, first.code)).toBe('bound');
    expect(await bind(buyer, second.code)).toBe('kept');
    expect(await bind(buyer, 'ZZZZ9999')).toBe('ignored');
    const stored = (await db().collection<{ referrer: string; expiresAt: Date }>('referrals').doc(buyer).get()).data;
    expect(stored.referrer).toBe(first.openid);
    expect(Math.round((stored.expiresAt.getTime() - Date.now()) / DAY)).toBe(30);

    // Once the binding ends, the next share binds.
    await db().collection('referrals').doc(buyer).update({ data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await bind(buyer, second.code)).toBe('bound');
  });

  it('records the commission pending with the payment, at the course’s rate, and makes it available after the refund window', async () => {
    const { openid: referrer, code } = await promoter();
    const buyer = learner();
    await bind(buyer, code);
    const basics = await buy(buyer, { courseId: COURSE });
    const advanced = await buy(buyer, { courseId: ADVANCED });
    expect(await commissionOf(basics)).toMatchObject({ referrer, rate: 20, orderAmount: 990, amount: 198, status: 'pending' });
    // The advanced course at its upgrade price (the buyer holds the entry course): 30% of what they paid.
    expect(await commissionOf(advanced)).toMatchObject({ rate: 30, orderAmount: 16900, amount: 5070, status: 'pending' });
    const pending = await commissionOf(basics);
    expect(Math.round((pending.availableAt.getTime() - pending.paidAt.getTime()) / DAY)).toBe(7);
    expect((await wallet(referrer)).totals).toEqual({ pending: 5268, available: 0, requested: 0, withdrawn: 0 });

    // Not yet: the window has not passed.
    expect((await fireSettleCommissions()).available).toBe(0);
    await windowPassed(basics);
    expect((await fireSettleCommissions()).available).toBe(1);
    const { totals, commissions } = await wallet(referrer);
    expect(totals).toEqual({ pending: 5070, available: 198, requested: 0, withdrawn: 0 });
    expect(commissions.map((c) => [c.orderId, c.status])).toEqual([
      [advanced, 'pending'],
      [basics, 'available'],
    ]);
    expect(commissions[0]).not.toHaveProperty('buyer');
  });

  it('pays no commission to a sharer who is not a promoter', async () => {
    const sharer = learner();
    const { code } = (await ok<GetShareCodeResponse>(sharer, 'getShareCode', { courseId: COURSE })).data.scene.match(/r=(?<code>\w+)/)!.groups!;
    const buyer = learner();
    expect(await bind(buyer, code!)).toBe('bound');
    const order = await buy(buyer, { courseId: COURSE });
    expect((await orderOf(order)).referral).toBeUndefined();
    expect(await db().collection('commissions').where({ _id: order }).count()).toMatchObject({ total: 0 });
  });

  it('reverses the commission in the refund’s transaction', async () => {
    const { openid: referrer, code } = await promoter();
    const buyer = learner();
    await bind(buyer, code);
    const order = await buy(buyer, { courseId: COURSE });
    expect((await requestRefund(buyer, order)).reply.ok).toBe(true);
    // A refund under way keeps it pending past the window.
    await windowPassed(order);
    await fireSettleCommissions();
    expect((await commissionOf(order)).status).toBe('pending');

    await review('support', order, true);
    await completeRefund(order);
    expect(await commissionOf(order)).toMatchObject({ status: 'reversed' });
    expect((await wallet(referrer)).totals).toEqual({ pending: 0, available: 0, requested: 0, withdrawn: 0 });
  });

  it('withdraws what is available; staff mark it paid, and a refund after the payout is deducted from the next one', async () => {
    const { openid: referrer, code } = await promoter();
    const buyers = [learner(), learner(), learner()];
    const orders: string[] = [];
    for (const buyer of buyers) {
      await bind(buyer, code);
      orders.push(await buy(buyer, { courseId: ADVANCED }));
    }
    expect((await call(referrer, 'requestWithdrawal')).reply).toEqual({ ok: false, code: 'CONFLICT', message: '可提现金额满 1 元才能申请提现' });
    for (const order of orders.slice(0, 2)) await windowPassed(order);
    await fireSettleCommissions();

    const { withdrawal } = (await ok<RequestWithdrawalResponse>(referrer, 'requestWithdrawal')).data;
    expect(withdrawal).toMatchObject({ amount: 2 * 5970, status: 'requested', commissionCount: 2 });
    expect((await call(referrer, 'requestWithdrawal')).reply).toMatchObject({ ok: false, message: '上一笔提现正在处理中，请处理完成后再申请' });
    expect((await wallet(referrer)).totals).toEqual({ pending: 5970, available: 0, requested: 11940, withdrawn: 0 });

    const queue = (await staffOk<ListWithdrawalsResponse>('owner', 'listWithdrawals', { status: 'requested' })).data.withdrawals;
    expect(queue.find((w) => w.id === withdrawal.id)).toMatchObject({ openid: referrer, amount: 11940 });
    expect((await callAsStaff('support', 'listWithdrawals', {})).reply).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    await staffOk('owner', 'decideWithdrawal', { withdrawalId: withdrawal.id, paid: true, note: '微信转账 4200001234' });
    expect((await wallet(referrer)).totals).toEqual({ pending: 5970, available: 0, requested: 0, withdrawn: 11940 });
    expect((await wallet(referrer)).withdrawals[0]).toMatchObject({ status: 'paid', note: '微信转账 4200001234' });

    // Staff refund a paid-out order anyway: the next withdrawal bears it.
    await review('support', orders[0]!, true);
    await completeRefund(orders[0]!);
    expect(await commissionOf(orders[0]!)).toMatchObject({ status: 'reversed', clawedBack: true });
    await windowPassed(orders[2]!);
    await fireSettleCommissions();
    expect((await wallet(referrer)).totals.available).toBe(0);
    expect((await call(referrer, 'requestWithdrawal')).reply).toMatchObject({ ok: false, code: 'CONFLICT' });
  });

  it('lists promoters for the console with what they earned by status', async () => {
    const { openid: referrer, code } = await promoter();
    const buyer = learner();
    await bind(buyer, code);
    await buy(buyer, { courseId: COURSE });
    const { data } = await staffOk<ListPromotersResponse>('editor', 'listPromoters', { pageSize: 20 });
    expect(data.promoters[0]).toMatchObject({ openid: referrer, code, orders: 1, totals: { pending: 198, available: 0, requested: 0, withdrawn: 0, reversed: 0 } });
    expect(data.promoters[0]!.nickname).toMatch(/^学员/);
  });

  it('refuses a withdrawal staff reject back to available', async () => {
    const { openid: referrer, code } = await promoter();
    const buyer = learner();
    await bind(buyer, code);
    const order = await buy(buyer, { courseId: ADVANCED });
    await windowPassed(order);
    await fireSettleCommissions();
    const { withdrawal } = (await ok<RequestWithdrawalResponse>(referrer, 'requestWithdrawal')).data;
    const missingNote = await callAsStaff('owner', 'decideWithdrawal', { withdrawalId: withdrawal.id, paid: false, note: ' ' });
    expect(missingNote.reply).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
    await staffOk('owner', 'decideWithdrawal', { withdrawalId: withdrawal.id, paid: false, note: '收款信息有误，请核对后重新申请' });
    expect((await wallet(referrer)).totals).toEqual({ pending: 0, available: 5970, requested: 0, withdrawn: 0 });
  });

  it('makes a poster’s code carry the sharer’s referral to the course page', async () => {
    const { openid, code } = await promoter();
    const { data } = await ok<GetShareCodeResponse>(openid, 'getShareCode', { courseId: COURSE });
    expect(data).toMatchObject({ page: 'packages/course/detail/index', scene: `r=${code}&c=${COURSE}` });
    const png = Buffer.from(await (await fetch(data.url)).arrayBuffer());
    expect(png.subarray(1, 4).toString()).toBe('PNG');
  });
});

describe('invitations (老带新)', () => {
  it('gives the inviter a coupon once the invitee’s first purchase clears its refund window, and nothing for a refunded one', async () => {
    const { campaign } = (
      await staffOk<SaveCouponCampaignResponse>('editor', 'saveCouponCampaign', {
        title: '邀请有礼',
        rule: { kind: 'amount', amountOff: 500 },
        scope: 'school',
        validDays: 30,
        totalStock: 100,
        perLearnerLimit: 1,
      })
    ).data;
    await saveSettings({ inviteRewardCampaignId: campaign.id });
    const inviter = learner();
    const { code } = (await ok<GetShareCodeResponse>(inviter, 'getShareCode', {})).data.scene.match(/r=(?<code>\w+)/)!.groups!;
    const [kept, refunded] = [learner(), learner()];
    for (const invitee of [kept, refunded]) expect(await bind(invitee, code!)).toBe('bound');
    const keptOrder = await buy(kept, { courseId: COURSE });
    await buy(kept, { courseId: ADVANCED });
    const refundedOrder = await buy(refunded, { courseId: COURSE });
    expect((await requestRefund(refunded, refundedOrder)).reply.ok).toBe(true);
    await review('support', refundedOrder, true);
    await completeRefund(refundedOrder);

    await rewardWindowPassed(kept);
    await rewardWindowPassed(refunded);
    expect(await fireSettleCommissions()).toMatchObject({ rewarded: 1 });
    const coupons = (await ok<ListMyCouponsResponse>(inviter, 'listMyCoupons')).data.coupons;
    expect(coupons.map((c) => [c.title, c.status])).toEqual([['邀请有礼', 'available']]);
    expect((await db().collection('inviteRewards').doc(kept).get()).data).toMatchObject({ orderId: keptOrder, status: 'rewarded' });
    expect((await db().collection('inviteRewards').doc(refunded).get()).data).toMatchObject({ status: 'void' });
    // A second run gives nothing again.
    expect(await fireSettleCommissions()).toMatchObject({ rewarded: 0 });
    await saveSettings();
  });
});
