import type { EnrollCourseResponse, GrantCourseResponse, RevokeGrantResponse } from '../../domain/contracts/access';
import type { ListMyCoursesResponse } from '../../domain/contracts/catalog';
import type { ListAuditResponse } from '../../domain/contracts/staff';
import {
  buy,
  call,
  courseEntitlementOf,
  lessonAccess,
  ok,
  orderOf,
  placeOrder,
  review,
  sandboxCompleteRefund,
  sandboxPay,
  viewerOf,
} from '../support/commerce';
import { connectSdk, uniqueName } from '../support/sdk';
import { callAsStaff, staffOk, uidOf, type StaffAccount } from '../support/staff';

/**
 * Course access without a payment: staff's grants (grantCourse, revokeGrant) and a learner's enrollment in
 * a free course (enrollCourse), through the gateway and the real SDK, and how they meet purchases and refunds.
 */
const db = connectSdk().database();

/** A paid course outside membership, and one of its paid lessons. */
const PAID = 'excel-advanced';
const PAID_LESSON = 'excel-advanced-02';
/** The demo school's free course. */
const FREE = 'gongkao-intro';
const FREE_LESSON = 'gongkao-intro-01';
const NOTE = '合作机构赠课';

/** A learner who opened the mini program once (login made their users document). */
async function newLearner(): Promise<string> {
  const openid = uniqueName('o-grant');
  await ok(openid, 'login');
  return openid;
}

const grant = (staff: StaffAccount, openid: string, courseId = PAID, note = NOTE) => callAsStaff<GrantCourseResponse>(staff, 'grantCourse', { openid, courseId, note });
const revoke = (staff: StaffAccount, openid: string, courseId = PAID, note = '赠课有误') => callAsStaff<RevokeGrantResponse>(staff, 'revokeGrant', { openid, courseId, note });
const enroll = (openid: string, courseId = FREE) => call<EnrollCourseResponse>(openid, 'enrollCourse', { courseId });
const myCourseIds = async (openid: string) => (await ok<ListMyCoursesResponse>(openid, 'listMyCourses')).data.courses.map((c) => c.id);

/** Data setup, not a mock: a course still in the editor, as the console would leave it. */
async function draftCourse(amount: number): Promise<string> {
  const _id = uniqueName('draft');
  await db.collection('courses').add({ data: { _id, title: '草稿课程', status: 'draft', price: { amount, includedInMembership: false } } });
  return _id;
}

describe('grantCourse', () => {
  it("opens a paid course's paid lessons to the learner and lists it in my courses, in 7 requests, with an audit entry", async () => {
    const staff = 'support';
    const me = await newLearner();
    expect(await lessonAccess(me, PAID_LESSON)).toBe('locked');

    const { reply, dbRequests } = await grant(staff, me);
    expect(reply).toEqual({ ok: true, data: { openid: me, courseId: PAID, alreadyGranted: false } });
    // The role; the learner and the course at once; a transaction: begin, the entitlement's insert, the audit entry, commit.
    expect(dbRequests).toBe(7);
    const [entry] = (await staffOk<ListAuditResponse>('owner', 'listAudit', { targetId: `${me}:course:${PAID}` })).data.entries;
    expect(entry).toMatchObject({ by: { uid: uidOf(staff), name: '演示客服' }, action: 'grants.manage', summary: expect.stringContaining(NOTE), after: { status: 'active', note: NOTE } });

    expect(await lessonAccess(me, PAID_LESSON)).toBe('purchased');
    expect(await viewerOf(me, PAID)).toMatchObject({ access: 'purchased' });
    expect(await myCourseIds(me)).toEqual([PAID]);
    expect(await courseEntitlementOf(me, PAID)).toMatchObject({ kind: 'course', status: 'active', source: { kind: 'admin', by: uidOf(staff), note: NOTE } });
  });

  it("is idempotent for the same staff member; another's grant of a course the learner holds is refused", async () => {
    const staff = 'support';
    const me = await newLearner();
    await grant(staff, me);
    const granted = await courseEntitlementOf(me, PAID);

    // The same grant sent again, even with other words: nothing changes.
    const again = await grant(staff, me, PAID, '再次赠送');
    expect(again.reply).toEqual({ ok: true, data: { openid: me, courseId: PAID, alreadyGranted: true } });
    // The role, the learner and the course, the failed insert's transaction (begin, insert, rollback), the reading one (begin, read, commit).
    expect(again.dbRequests).toBe(9);
    expect(await courseEntitlementOf(me, PAID)).toEqual(granted);

    const other = await grant('owner', me);
    expect(other.reply).toEqual({ ok: false, code: 'ALREADY_OWNED', message: '学员已拥有这门课程' });
    expect(await courseEntitlementOf(me, PAID)).toEqual(granted);
  });

  it('refuses a learner who bought the course, and a purchase of a course staff granted', async () => {
    const staff = 'support';
    const buyer = await newLearner();
    const orderId = await buy(buyer, { courseId: PAID });
    expect((await grant(staff, buyer)).reply).toEqual({ ok: false, code: 'ALREADY_OWNED', message: '学员已拥有这门课程' });
    expect(await courseEntitlementOf(buyer, PAID)).toMatchObject({ status: 'active', source: { kind: 'order', orderId } });

    const granted = await newLearner();
    await grant(staff, granted);
    const { reply } = await call(granted, 'createOrder', { courseId: PAID, clientRequestKey: 'k-after-grant' });
    expect(reply).toEqual({ ok: false, code: 'ALREADY_OWNED', message: '你已获赠这门课程，可直接学习' });
  });

  it('keeps the grant when an order for the same course, paid after it, is refunded', async () => {
    const staff = 'support';
    const me = await newLearner();
    const orderId = (await placeOrder(me, { courseId: PAID })).data.order.id;
    await grant(staff, me);
    // The payment buys nothing (the learner holds the course), so staff refund it; the refund takes back only what its order granted.
    expect((await sandboxPay(orderId)).status).toBe(200);
    expect((await orderOf(orderId)).status).toBe('needsRefund');
    await review(staff, orderId, true);
    expect((await sandboxCompleteRefund(`${orderId}-R1`)).status).toBe(200);

    expect((await orderOf(orderId)).status).toBe('refunded');
    expect(await courseEntitlementOf(me, PAID)).toMatchObject({ status: 'active', source: { kind: 'admin', by: uidOf(staff) } });
    expect(await lessonAccess(me, PAID_LESSON)).toBe('purchased');
  });

  it('is refused to learners, and for an unknown learner, an unknown or unpublished course, or without a note', async () => {
    const staff = 'support';
    const me = await newLearner();
    // A learner's openid is refused before anything is read.
    const learnerCall = await call<GrantCourseResponse>(me, 'grantCourse', { openid: me, courseId: PAID, note: NOTE });
    expect(learnerCall.reply).toEqual({ ok: false, code: 'FORBIDDEN', message: '无权操作' });
    expect(learnerCall.dbRequests).toBe(0);

    const nobody = uniqueName('o-nobody');
    expect((await grant(staff, nobody)).reply).toEqual({ ok: false, code: 'NOT_FOUND', message: '学员不存在，请核对学员编号' });
    expect((await grant(staff, me, 'no-such-course')).reply).toEqual({ ok: false, code: 'NOT_FOUND', message: '课程不存在或未上架' });
    expect((await grant(staff, me, await draftCourse(1000))).reply).toEqual({ ok: false, code: 'NOT_FOUND', message: '课程不存在或未上架' });
    expect((await grant(staff, me, PAID, '  ')).reply).toMatchObject({ ok: false, code: 'INVALID_INPUT', message: expect.stringContaining('请填写赠送原因') });

    expect(await courseEntitlementOf(me, PAID)).toBeUndefined();
    expect(await courseEntitlementOf(nobody, PAID)).toBeUndefined();
  });
});

describe('revokeGrant', () => {
  it('takes back a staff grant in 6 requests: the lessons lock and my courses drops it; again changes nothing', async () => {
    const staff = 'support';
    const me = await newLearner();
    await grant(staff, me);

    // Any staff member may take back a staff grant.
    const colleague = 'owner';
    const { reply, dbRequests } = await revoke(colleague, me);
    expect(reply).toEqual({ ok: true, data: { openid: me, courseId: PAID, alreadyRevoked: false } });
    // The role; a transaction: begin, the entitlement, its update, the audit entry, commit.
    expect(dbRequests).toBe(6);
    expect(await courseEntitlementOf(me, PAID)).toMatchObject({ status: 'revoked', revokedAt: expect.any(Date), revokedBy: uidOf(colleague), revokeNote: '赠课有误' });
    expect(await lessonAccess(me, PAID_LESSON)).toBe('locked');
    expect(await myCourseIds(me)).toEqual([]);

    expect((await revoke(colleague, me)).reply).toEqual({ ok: true, data: { openid: me, courseId: PAID, alreadyRevoked: true } });

    // Granted again (a revoked entitlement is granted anew), by the staff member who first granted it.
    expect((await grant(staff, me)).reply).toEqual({ ok: true, data: { openid: me, courseId: PAID, alreadyGranted: false } });
    expect(await lessonAccess(me, PAID_LESSON)).toBe('purchased');
    expect(await courseEntitlementOf(me, PAID)).not.toHaveProperty('revokedBy');
  });

  it('refuses a purchase, a course the learner never held, and learners', async () => {
    const staff = 'support';
    const buyer = await newLearner();
    await buy(buyer, { courseId: PAID });
    expect((await revoke(staff, buyer)).reply).toEqual({ ok: false, code: 'CONFLICT', message: '这门课程不是后台赠送的，不能收回；购买或礼物所得的课程请通过退款处理' });
    expect(await lessonAccess(buyer, PAID_LESSON)).toBe('purchased');

    expect((await revoke(staff, buyer, 'photo-portrait')).reply).toEqual({ ok: false, code: 'NOT_FOUND', message: '学员没有这门课程' });
    expect((await call(buyer, 'revokeGrant', { openid: buyer, courseId: PAID, note: '赠课有误' })).reply).toEqual({ ok: false, code: 'FORBIDDEN', message: '无权操作' });
  });
});

describe('enrollCourse', () => {
  it('lists a free course in my courses in 4 requests; enrolling again changes nothing', async () => {
    const me = await newLearner();
    // Open to anyone before enrolling, but not one of the learner's courses.
    expect(await lessonAccess(me, FREE_LESSON)).toBe('free');
    expect(await myCourseIds(me)).toEqual([]);

    const { reply, dbRequests } = await enroll(me);
    expect(reply).toEqual({ ok: true, data: { courseId: FREE, alreadyEnrolled: false } });
    // The course; a transaction: begin, the entitlement's insert, commit.
    expect(dbRequests).toBe(4);
    expect(await myCourseIds(me)).toEqual([FREE]);
    const enrolled = await courseEntitlementOf(me, FREE);
    expect(enrolled).toMatchObject({ kind: 'course', status: 'active', source: { kind: 'free' } });

    const again = await enroll(me);
    expect(again.reply).toEqual({ ok: true, data: { courseId: FREE, alreadyEnrolled: true } });
    // The course, the failed insert's transaction (begin, insert, rollback), the reading one (begin, read, commit).
    expect(again.dbRequests).toBe(7);
    expect(await courseEntitlementOf(me, FREE)).toEqual(enrolled);
    expect(await myCourseIds(me)).toEqual([FREE]);
    expect(await lessonAccess(me, FREE_LESSON)).toBe('free');
  });

  it('refuses a paid course, an unknown or unpublished one', async () => {
    const me = await newLearner();
    expect((await enroll(me, PAID)).reply).toEqual({ ok: false, code: 'FORBIDDEN', message: '这门课程需要购买' });
    expect((await enroll(me, 'no-such-course')).reply).toEqual({ ok: false, code: 'NOT_FOUND', message: '课程不存在或未上架' });
    expect((await enroll(me, await draftCourse(0))).reply).toEqual({ ok: false, code: 'NOT_FOUND', message: '课程不存在或未上架' });
    expect(await courseEntitlementOf(me, PAID)).toBeUndefined();
    expect(await lessonAccess(me, PAID_LESSON)).toBe('locked');
  });
});
