import type { Reply } from '../../domain/contracts/result';
import type { SettleGroupsReport } from '../../domain/contracts/groups';
import { orderOf, ordersOf, sandboxCompleteRefund } from '../support/commerce';
import { newLearner, renderPage, type RenderedPage } from '../support/miniprogram';
import { openCourse, openOrder, until } from '../support/pages';
import { ownEmulatorForFile } from '../support/own-emulator';
import { connectSdk, emulatorUrl, waitFor } from '../support/sdk';
import { postJson } from '../support/wx/http';

/**
 * The learner's group-buy (拼团) screens (issue 12): 发起拼团 on a course's page (the real createOrder with
 * `startGroup`, paid in the sandbox, whose payNotify opens the group), the group page a share card opens
 * (members, empty seats, the countdown, 邀请好友参团 and its share card, 立即参团 for a friend, who pays a
 * seat and completes the group), the course's 正在拼团 list, and the group on the order. Open groups show
 * on the course's page for everyone, so the file runs on an emulator of its own.
 */
ownEmulatorForFile('group-pages');

const COURSE = 'excel-advanced'; // ¥199, 2 人拼团价 ¥149
const TITLE = 'Excel 数据透视与函数进阶';
const COVER = 'cloud://local-env.6c6f-local-env-1300000000/demo/cover-excel-advanced.jpg';
const PAID_LESSON = 'excel-advanced-03';

const openGroup = (openid: string, id: string) => renderPage('packages/growth/group/index', { openid, query: { id } });

/** The group page's members: one avatar per paid seat, one placeholder per empty one. */
const seatsOf = (page: RenderedPage) => ({
  members: page.component.querySelectorAll('.group__member').length - page.component.querySelectorAll('.group__seat').length,
  empty: page.component.querySelectorAll('.group__seat').length,
});

/** Whether the learner may study a paid lesson: the lesson page plays it instead of showing the lock. */
async function canStudy(openid: string): Promise<boolean> {
  const lesson = renderPage('packages/course/lesson/index', { openid, query: { id: PAID_LESSON } });
  await lesson.settle();
  const open = lesson.exists('.lesson__video') && !lesson.exists('.lesson__locked');
  lesson.unload();
  return open;
}

/** The leader starts a group from the course page and pays; answers the group id the page opened. */
async function startGroup(leader: string): Promise<string> {
  const detail = openCourse(leader, COURSE);
  await detail.settle();
  detail.tap('.detail__start-group');
  await detail.settle();
  const [{ url }] = detail.wxCalls('navigateTo') as Array<{ url: string }>;
  detail.unload();
  return url.split('id=')[1]!;
}

describe('starting a group and filling it', () => {
  it('a leader opens a group, shares it, a friend takes the last seat, and both study the course', async () => {
    const leader = newLearner();
    const detail = openCourse(leader, COURSE);
    await detail.settle();
    expect(detail.text('.detail__price-row')).toBe('¥1992 人拼团价 ¥149');
    expect(detail.text('.detail__bar')).toBe('免费试看立即购买 ¥199发起拼团 ¥149');

    detail.tap('.detail__start-group');
    await detail.settle();
    expect(detail.wxCalls('showModal')).toEqual([
      {
        title: '发起拼团 ¥149',
        content: `以拼团价购买《${TITLE}》。支付后邀请好友参团，2 人成团后即可学习；未在时限内成团将自动原路退款。`,
        confirmText: '确认支付',
        cancelText: '再想想',
      },
    ]);
    expect(detail.cloud.calls.find((c) => c.name === 'createOrder')?.data).toMatchObject({ courseId: COURSE, startGroup: true });
    const [order] = await ordersOf(leader);
    expect(order).toMatchObject({ status: 'paid', amount: 14900 });
    const groupId = `G${order!._id}`;
    // The group's page instead of the course's result page: the course opens when the group is full.
    expect(detail.wxCalls('navigateTo')).toEqual([{ url: `/packages/growth/group/index?id=${groupId}` }]);

    const mine = detail.open('packages/growth/group/index', { id: groupId });
    await mine.settle();
    expect(mine.text('.group__course')).toBe(`${TITLE}2 人团¥149`);
    expect(seatsOf(mine)).toEqual({ members: 1, empty: 1 });
    expect(mine.text('.group__leader')).toBe('团长');
    expect(mine.text('.group__state')).toBe('拼团中还差 1 人成团');
    // A day's window (the course says no other): hh:mm:ss, and when it ends.
    expect(mine.data.countdownText).toMatch(/^23:59:\d\d$/);
    expect(mine.text('.group__countdown')).toMatch(new RegExp(`^剩余${mine.data.countdownText}\\d+月\\d+日 \\d\\d:\\d\\d 结束$`));
    expect(mine.text('.group__share')).toBe('邀请好友参团');
    expect(mine.exists('.group__join')).toBe(false);
    // The leader cannot take a second seat, and is told why.
    expect(mine.text('.group__why')).toBe('你已在这个拼团中');
    expect((mine.component.instance.onShareAppMessage as () => unknown)()).toEqual({
      title: `还差 1 人，¥149 一起学《${TITLE}》`,
      path: `/packages/growth/group/index?id=${groupId}`,
      imageUrl: COVER,
    });
    // The countdown runs each second.
    const before = mine.data.countdownText;
    await new Promise((done) => setTimeout(done, 1100));
    expect(mine.data.countdownText).not.toBe(before);
    // Not while the page is hidden (the interval is cleared).
    (mine.component.instance.onHide as () => void)();
    const hidden = mine.data.countdownText;
    await new Promise((done) => setTimeout(done, 1100));
    expect(mine.data.countdownText).toBe(hidden);
    // Nobody studies before the group is full.
    expect(await canStudy(leader)).toBe(false);
    mine.unload();

    // The friend opens the share card.
    const friend = newLearner();
    const page = openGroup(friend, groupId);
    await page.settle();
    expect(page.text('.group__state')).toBe('拼团中还差 1 人成团');
    expect(page.exists('.group__share')).toBe(false);
    expect(page.exists('.group__why')).toBe(false);
    expect(page.text('.group__join')).toBe('立即参团 ¥149');
    page.tap('.group__join');
    await page.settle();
    expect(page.wxCalls('showModal')).toEqual([
      {
        title: '参团 ¥149',
        content: `以拼团价购买《${TITLE}》。2 人成团后即可学习；未在时限内成团将自动原路退款。`,
        confirmText: '确认支付',
        cancelText: '再想想',
      },
    ]);
    expect(page.cloud.calls.find((c) => c.name === 'createOrder')?.data).toMatchObject({ courseId: COURSE, groupId });
    // The page stays, and shows the group as it is now.
    expect(page.wxCalls('navigateTo')).toEqual([]);
    await until(page, '拼团成功');
    expect(page.wxCalls('showToast')).toEqual([{ title: '拼团成功', icon: 'none' }]);
    expect(page.text('.group__state')).toBe('拼团成功课程已开通，快去学习吧');
    expect(seatsOf(page)).toEqual({ members: 2, empty: 0 });
    expect(page.exists('.group__countdown')).toBe(false);
    expect(page.exists('.group__join')).toBe(false);
    page.tap('.group__study');
    await page.settle();
    expect(page.wxCalls('navigateTo')).toEqual([{ url: `/packages/course/detail/index?id=${COURSE}` }]);
    page.unload();

    expect(await canStudy(friend)).toBe(true);
    expect(await canStudy(leader)).toBe(true);

    // The leader's page says so too.
    const leaderPage = openGroup(leader, groupId);
    await leaderPage.settle();
    expect(leaderPage.text('.group__state')).toBe('拼团成功课程已开通，快去学习吧');
    expect(leaderPage.text('.group__study')).toBe('去学习');
    expect(leaderPage.exists('.group__share')).toBe(false);
    leaderPage.unload();

    // Someone else finds the group full.
    const late = openGroup(newLearner(), groupId);
    await late.settle();
    expect(late.exists('.group__join')).toBe(false);
    expect(late.text('.group__state')).toBe('拼团成功已成团');
    expect(late.text('.group__why')).toBe('拼团已满员');
    expect(late.exists('.group__course-link')).toBe(true);
  }, 40_000);
});

describe('the course page and the order', () => {
  it("lists the course's open groups with the seats left, and opens one", async () => {
    const leader = newLearner();
    const groupId = await startGroup(leader);

    const visitor = newLearner();
    const detail = openCourse(visitor, COURSE);
    await detail.settle();
    // Read after the course.
    expect(detail.cloud.calls.map((c) => c.name).slice(0, 2)).toEqual(['getCourse', 'listCourseGroups']);
    const rows = detail.data.groups as Array<{ id: string }>;
    const index = rows.findIndex((g) => g.id === groupId);
    expect(index).toBeGreaterThanOrEqual(0);
    const row = detail.component.querySelectorAll('.detail__group')[index]!;
    expect(row.dom!.textContent!.replace(/\s+/g, '')).toMatch(/^.+\d+月\d+日\d\d:\d\d结束还差1人去参团$/);
    detail.component.querySelectorAll('.detail__group-join')[index]!.dispatchEvent('tap');
    await detail.settle();
    expect(detail.wxCalls('navigateTo')).toEqual([{ url: `/packages/growth/group/index?id=${groupId}` }]);
  }, 30_000);

  it('shows the group on the order, linked to its page', async () => {
    const leader = newLearner();
    const groupId = await startGroup(leader);
    const [order] = await ordersOf(leader);
    const page = openOrder(leader, order!._id);
    await page.settle();
    expect(page.text('.order__group')).toBe('拼团我发起的拼团 查看拼团 ›');
    page.tap('.order__group');
    await page.settle();
    expect(page.wxCalls('navigateTo')).toEqual([{ url: `/packages/growth/group/index?id=${groupId}` }]);
  }, 30_000);

  it('offers no group to a learner who owns the course', async () => {
    const leader = newLearner();
    const groupId = await startGroup(leader);
    const friend = newLearner();
    const page = openGroup(friend, groupId);
    await page.settle();
    page.tap('.group__join');
    await until(page, '拼团成功');
    page.unload();

    const detail = openCourse(leader, COURSE);
    await detail.settle();
    expect(detail.text('.detail__bar')).toBe('开始学习');
    expect(detail.exists('.detail__groups')).toBe(false);
    expect(detail.cloud.calls.map((c) => c.name)).not.toContain('listCourseGroups');
  }, 30_000);
});

describe('a group short at the end of its window', () => {
  /** The group's window ends now (as if its day had passed), and the settleGroups timer fires. */
  async function endWindow(groupId: string) {
    await connectSdk().database().collection('groups').doc(groupId).update({ data: { expiresAt: new Date(Date.now() - 1000) } });
    const run = (await postJson<{ status: string; result: Reply<SettleGroupsReport> }>(`${emulatorUrl()}/__emulator/timers/settleGroups/everyMinute/fire`, {})).body;
    expect(run.status).toBe('ok');
    expect(run.result).toMatchObject({ ok: true });
  }

  it('fails, says the money went back, and the order shows the automatic refund and why', async () => {
    const leader = newLearner();
    const groupId = await startGroup(leader);
    const orderId = groupId.slice(1);
    await endWindow(groupId);
    expect(await orderOf(orderId)).toMatchObject({ status: 'refunding' });
    expect((await sandboxCompleteRefund(`${orderId}-R1`)).status).toBe(200);
    await waitFor(() => orderOf(orderId), (order) => order.status === 'refunded');

    const page = openGroup(leader, groupId);
    await page.settle();
    expect(page.text('.group__state')).toBe('拼团失败款项将原路退回');
    expect(page.exists('.group__countdown')).toBe(false);
    expect(page.exists('.group__share')).toBe(false);
    expect(seatsOf(page)).toEqual({ members: 1, empty: 0 });
    page.tap('.group__order');
    await page.settle();
    expect(page.wxCalls('navigateTo')).toEqual([{ url: `/packages/order/detail/index?id=${orderId}` }]);
    page.unload();

    const order = openOrder(leader, orderId);
    await order.settle();
    expect(order.text('.order__status')).toBe('已退款');
    expect(order.text('.order__group')).toBe('拼团我发起的拼团 查看拼团 ›');
    expect(order.text('.order__refund-info')).toContain('退款原因拼团未成功，款项将原路退回');
    order.unload();

    // A friend arriving late finds it ended.
    const late = openGroup(newLearner(), groupId);
    await late.settle();
    expect(late.text('.group__state')).toBe('拼团失败未在时限内成团');
    expect(late.exists('.group__join')).toBe(false);
    expect(late.text('.group__why')).toBe('拼团已结束');
  }, 40_000);
});
