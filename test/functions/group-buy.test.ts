import { randomUUID } from 'node:crypto';
import type { GetGroupResponse, ListCourseGroupsResponse, ListGroupsResponse, SettleGroupsReport } from '../../domain/contracts/groups';
import type { CreateOrderResponse, PaymentContext } from '../../domain/contracts/orders';
import type { ClientPayment } from '../../domain/payments/provider';
import { refundOrderIdFor } from '../../domain/payments/virtualgoods';
import type { Group } from '../../domain/groups/model';
import type { Reply } from '../../domain/contracts/result';
import { call, completeRefund, courseEntitlementOf, dbRequestsOf, ok, orderOf, pay, payLedger, refundsOf, requestRefund, review } from '../support/commerce';
import { loadModule, newLearner } from '../support/miniprogram';
import { useDevice } from '../support/wx/device';
import { ownEmulatorForFile } from '../support/own-emulator';
import { connectSdk, control, emulatorUrl, uniqueName, waitFor } from '../support/sdk';
import { staffOk } from '../support/staff';

/**
 * Group-buy (issue 12) through the gateway, cloud pay's sandbox and the real SDK: the leader's payment
 * opens a group, the last seat's payment grants everyone, payments racing for the last seats get exactly
 * the seats there are (the others are refunded automatically), an expired group refunds everyone, and a
 * refund while open gives the seat back. Its own emulator: its groups would show on other files' course pages.
 */
ownEmulatorForFile('group-buy');
const db = () => connectSdk().database();

/** 3 人拼团价 ¥6.9 (list ¥9.9). */
const COURSE = 'excel-basics';
const GROUP_PRICE = 690;
/** 2 人 ¥149 (list ¥199). */
const PAIR_COURSE = 'excel-advanced';

const learner = () => uniqueName('o-group');

/** The mini program's services/pay on an iPhone (virtual payment), typed here; the device is the learner's until another is loaded. */
interface PayService {
  paymentContext(): Promise<PaymentContext>;
  pay(payment: ClientPayment): Promise<'paid' | 'cancelled'>;
}
function device(openid: string): PayService {
  const { module } = loadModule<PayService>('services/pay', { openid });
  useDevice({ platform: 'ios', system: 'iOS 17.4' });
  return module;
}
/** A seat in `groupId` ordered from `phone`, with its payment context (a wx.login code for virtual payment). */
const placedOn = async (openid: string, phone: PayService, groupId: string) =>
  ok<CreateOrderResponse>(openid, 'createOrder', { courseId: PAIR_COURSE, groupId, clientRequestKey: randomUUID(), ...(await phone.paymentContext()) });
const orderFor = (openid: string, data: Record<string, unknown>, courseId = COURSE) =>
  call<CreateOrderResponse>(openid, 'createOrder', { courseId, clientRequestKey: randomUUID(), ...data });
async function placed(openid: string, data: Record<string, unknown>, courseId = COURSE) {
  const { reply, dbRequests } = await orderFor(openid, data, courseId);
  if (!reply.ok) throw new Error(`createOrder failed: ${reply.code} ${reply.message}`);
  return { order: reply.data.order, dbRequests };
}

/** A leader who paid: the group is open with one seat taken. Answers the group's id and the leader's order. */
async function openGroup(leader: string, courseId = COURSE) {
  const { order } = await placed(leader, { startGroup: true }, courseId);
  await pay(order.id);
  return { groupId: order.group!.id, orderId: order.id };
}

/** A friend who joined and paid; answers their order id. */
async function join(openid: string, groupId: string, courseId = COURSE) {
  const { order } = await placed(openid, { groupId }, courseId);
  await pay(order.id);
  return order.id;
}

const groupOf = async (id: string) => (await db().collection<Group>('groups').doc(id).get()).data;
const viewOf = async (openid: string, groupId: string) => (await ok<GetGroupResponse>(openid, 'getGroup', { groupId })).data.group;
const hasCourse = async (openid: string, courseId = COURSE) => (await courseEntitlementOf(openid, courseId).catch(() => undefined))?.status === 'active';

async function fireSettleGroups() {
  const run = await control<{ status: string; invocationId: string; result: Reply<SettleGroupsReport> }>('POST', '/timers/settleGroups/everyMinute/fire', {});
  expect(run.status).toBe('ok');
  if (!run.result.ok) throw new Error(`settleGroups: ${run.result.code} ${run.result.message}`);
  return run.result.data;
}

/** Data setup, not a mock: the group's window as if it had passed. */
const expire = (groupId: string) => db().collection('groups').doc(groupId).update({ data: { expiresAt: new Date(Date.now() - 1000) } });

describe('a group-buy', () => {
  it('opens with the leader’s payment at the group price, and grants every member the course when the last seat is paid', async () => {
    const [leader, second, third] = [learner(), learner(), learner()];
    const { order: leaderOrder, dbRequests } = await placed(leader, { startGroup: true });
    expect(leaderOrder).toMatchObject({ amount: GROUP_PRICE, originalAmount: 990, group: { leader: true } });
    // As any course order: the course; the entitlements and the referral binding at once; the insert.
    expect(dbRequests).toBe(4);
    const groupId = leaderOrder.group!.id;
    // Not open until the leader pays: nobody can join an unpaid group.
    expect((await orderFor(second, { groupId })).reply).toEqual({ ok: false, code: 'NOT_FOUND', message: '拼团不存在' });

    await pay(leaderOrder.id);
    expect(await groupOf(groupId)).toMatchObject({ status: 'open', size: 3, amount: GROUP_PRICE, seats: [{ openid: leader, orderId: leaderOrder.id }] });
    expect((await orderOf(leaderOrder.id)).status).toBe('paid');
    expect(await hasCourse(leader)).toBe(false);
    const open = await viewOf(second, groupId);
    expect(open).toMatchObject({ status: 'open', seatsLeft: 2, members: [{ leader: true }], viewer: { member: false, canJoin: true } });
    expect(open.members[0]!.nickname).toMatch(/^学员/);
    expect((await viewOf(leader, groupId)).viewer).toEqual({ member: true, orderId: leaderOrder.id, canJoin: false, why: '你已在这个拼团中' });
    const listed = (await ok<ListCourseGroupsResponse>(third, 'listCourseGroups', { courseId: COURSE })).data.groups;
    expect(listed.find((g) => g.id === groupId)).toMatchObject({ seatsLeft: 2 });

    await join(second, groupId);
    expect(await hasCourse(second)).toBe(false);
    const last = (await placed(third, { groupId })).order;
    expect(last).toMatchObject({ amount: GROUP_PRICE, group: { id: groupId, leader: false } });
    await pay(last.id);
    const paying = (await control<{ deliveries: Array<{ key: string; attempts: Array<{ invocationId?: string }> }> }>('GET', '/pay/ledger')).deliveries.find((d) => d.key === last.id)!;
    console.log(`DB requests of the payment completing a group of 3: ${await dbRequestsOf(paying.attempts[0]!.invocationId!)}`);

    expect(await groupOf(groupId)).toMatchObject({ status: 'complete', seats: [{ openid: leader }, { openid: second }, { openid: third }] });
    for (const member of [leader, second, third]) expect(await hasCourse(member)).toBe(true);
    expect((await viewOf(learner(), groupId)).viewer).toEqual({ member: false, canJoin: false, why: '拼团已满员' });
  });

  it('admits exactly the seats left when 10 learners pay for the last 2 at once, refunding the others with the reason', async () => {
    const { groupId } = await openGroup(learner());
    const racers = Array.from({ length: 10 }, () => learner());
    const orders = await Promise.all(racers.map(async (openid) => (await placed(openid, { groupId })).order.id));
    await Promise.all(orders.map((id) => pay(id)));

    const group = await groupOf(groupId);
    expect(group.status).toBe('complete');
    expect(group.seats).toHaveLength(3);
    const seated = new Set(group.seats.map((s) => s.orderId));
    const results = await Promise.all(orders.map((id) => orderOf(id)));
    const admitted = results.filter((o) => seated.has(o._id));
    const refunded = results.filter((o) => !seated.has(o._id));
    expect(admitted.map((o) => o.status)).toEqual(['paid', 'paid']);
    expect(refunded).toHaveLength(8);
    for (const order of refunded) {
      expect(order).toMatchObject({ status: 'refunding', refund: { requestedBy: 'system', reason: '拼团已满员，款项将原路退回', amount: GROUP_PRICE } });
      expect(await refundsOf(order._id)).toHaveLength(1);
      expect(await hasCourse(order.openid)).toBe(false);
    }
    for (const order of admitted) expect(await hasCourse(order.openid)).toBe(true);

    await completeRefund(refunded[0]!._id);
    expect((await orderOf(refunded[0]!._id)).status).toBe('refunded');
    expect(await groupOf(groupId)).toMatchObject({ status: 'complete', seats: group.seats });
  }, 60_000);

  it('fails when its window ends short: everyone is refunded automatically, once, and nobody gets the course', async () => {
    const leader = learner();
    const friend = learner();
    const { groupId, orderId } = await openGroup(leader);
    const friendOrder = await join(friend, groupId);
    await expire(groupId);
    expect((await orderFor(learner(), { groupId })).reply).toEqual({ ok: false, code: 'CONFLICT', message: '拼团已结束' });

    const report = await fireSettleGroups();
    expect(report.failed).toBeGreaterThanOrEqual(1);
    expect(await groupOf(groupId)).toMatchObject({ status: 'failed' });
    for (const id of [orderId, friendOrder]) {
      expect(await orderOf(id)).toMatchObject({ status: 'refunding', refund: { requestedBy: 'system', reason: '拼团未成功，款项将原路退回' } });
      expect(await refundsOf(id)).toHaveLength(1);
    }
    // A second run changes nothing: no refund asked twice.
    expect(await fireSettleGroups()).toEqual({ failed: 0, refunds: 0 });
    for (const id of [orderId, friendOrder]) {
      await completeRefund(id);
      expect((await orderOf(id)).status).toBe('refunded');
      expect(await refundsOf(id)).toHaveLength(1);
    }
    expect(await hasCourse(leader)).toBe(false);
    expect(await hasCourse(friend)).toBe(false);
    expect((await viewOf(leader, groupId))).toMatchObject({ status: 'failed', seatsLeft: 0 });
  });

  it('gives a member’s seat back when their payment is refunded while the group is open, for the next friend to take', async () => {
    const { groupId } = await openGroup(learner());
    const leaving = learner();
    const leavingOrder = await join(leaving, groupId);
    expect((await requestRefund(leaving, leavingOrder)).reply.ok).toBe(true);
    await review('support', leavingOrder, true);
    await completeRefund(leavingOrder);
    expect((await groupOf(groupId)).seats).toHaveLength(1);
    expect((await viewOf(learner(), groupId)).seatsLeft).toBe(2);

    const [second, third] = [learner(), learner()];
    await join(second, groupId);
    await join(third, groupId);
    expect(await groupOf(groupId)).toMatchObject({ status: 'complete' });
    expect(await hasCourse(third)).toBe(true);
    expect(await hasCourse(leaving)).toBe(false);
  });

  it('takes seats paid on either rail: an iPhone’s virtual payment completes a group, and one finding no seat is refunded through xpay', async () => {
    const { groupId } = await openGroup(learner(), PAIR_COURSE);
    // The last seat, from an iPhone: virtual payment, applied by xpayNotify through the same seat-taking path.
    const iphoneBuyer = newLearner();
    const iphone = device(iphoneBuyer);
    const seat = (await placedOn(iphoneBuyer, iphone, groupId)).data;
    expect(seat.payment?.provider).toBe('virtualPayment');
    expect(await iphone.pay(seat.payment!)).toBe('paid');
    expect(await groupOf(groupId)).toMatchObject({ status: 'complete' });
    expect(await hasCourse(iphoneBuyer, PAIR_COURSE)).toBe(true);

    // A second iPhone raced for the same seat: its ordered seat is gone when its payment arrives.
    const { groupId: other } = await openGroup(learner(), PAIR_COURSE);
    const [first, late] = [newLearner(), newLearner()];
    const lateSeat = (await placedOn(late, device(late), other)).data;
    const firstPhone = device(first);
    expect(await firstPhone.pay((await placedOn(first, firstPhone, other)).data.payment!)).toBe('paid');
    expect(await device(late).pay(lateSeat.payment!)).toBe('paid');
    const refunded = await orderOf(lateSeat.order.id);
    expect(refunded).toMatchObject({ provider: 'virtualPayment', status: 'refunding', refund: { requestedBy: 'system', reason: '拼团已满员，款项将原路退回' } });
    const refundOrderId = refundOrderIdFor(refunded.refund!.outRefundNo);
    expect((await payLedger()).virtualRefunds.find((r) => r.refundOrderId === refundOrderId)).toMatchObject({ outTradeNo: lateSeat.order.id, refundFee: 14900 });
    expect((await fetch(`${emulatorUrl()}/__emulator/xpay/refunds/${refundOrderId}/complete`, { method: 'POST', body: '{}' })).status).toBe(200);
    await waitFor(() => orderOf(lateSeat.order.id), (o) => o.status === 'refunded');
    expect(await hasCourse(late, PAIR_COURSE)).toBe(false);
  });

  it('refuses what cannot be a seat, with words for the learner', async () => {
    const me = learner();
    expect((await orderFor(me, { startGroup: true }, 'ppt-camp')).reply).toEqual({ ok: false, code: 'CONFLICT', message: '这门课程没有拼团活动' });
    expect((await orderFor(me, { groupId: 'Gnothing' })).reply).toEqual({ ok: false, code: 'NOT_FOUND', message: '拼团不存在' });
    const { groupId } = await openGroup(learner());
    expect((await orderFor(me, { groupId }, PAIR_COURSE)).reply).toEqual({ ok: false, code: 'NOT_FOUND', message: '拼团不存在' });
    const mixed = await orderFor(me, { groupId, couponId: 'c' });
    expect(!mixed.reply.ok && mixed.reply.message).toContain('拼团价不能再使用优惠券');
  });

  it('lists groups for staff with their members’ orders', async () => {
    const leader = learner();
    const { groupId, orderId } = await openGroup(leader);
    const { data } = await staffOk<ListGroupsResponse>('support', 'listGroups', { status: 'open', courseId: COURSE });
    expect(data.groups.find((g) => g.id === groupId)).toMatchObject({ status: 'open', size: 3, seats: [{ openid: leader, orderId }] });
  });
});
