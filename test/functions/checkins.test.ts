import type { Schedule } from '../../domain/catalog/model';
import type { CheckInResponse, ListCheckInsResponse } from '../../domain/contracts/learning';
import { beijingDay } from '../../domain/learning/calendar';
import { previousCheckInDay, type CheckInTally } from '../../domain/learning/checkins';
import { buy, call, ok } from '../support/commerce';
import { connectSdk, uniqueName } from '../support/sdk';

/** Check-ins (issue 10): once a day per learner and course by the server's Beijing day, streaks, the 打卡 page. */
const db = connectSdk().database();
const COURSE = 'excel-basics';
const DAY_MS = 86_400_000;

const learner = () => uniqueName('o-checkin');
const checkIn = (openid: string, data: Record<string, unknown> = {}) => call<CheckInResponse>(openid, 'checkIn', { courseId: COURSE, ...data });
const today = () => beijingDay(new Date());
const daysAgo = (n: number) => beijingDay(new Date(Date.now() - n * DAY_MS));

async function buyer() {
  const openid = learner();
  await buy(openid, { courseId: COURSE });
  return openid;
}

/** Data setup, not a mock: the tally as a learner's earlier check-ins left it. */
const tallyFrom = (openid: string, tally: Pick<CheckInTally, 'total' | 'streak' | 'lastDay' | 'recentDays'>) =>
  db.collection('checkins').doc(`${openid}:${COURSE}`).set({ data: { kind: 'tally', openid, courseId: COURSE, ...tally, updatedAt: new Date() } });

describe('checkIn', () => {
  it('checks a learner in once today, answering the streak, the total and this month’s days', async () => {
    const me = await buyer();
    const first = await checkIn(me, { text: '今天学会了条件格式' });
    expect(first.reply).toEqual({ ok: true, data: { added: true, held: false, checkedInToday: true, streak: 1, total: 1, monthDays: [today()] } });
    // The course, the entitlements and the profile at once; begin, the tally, the day, the tally's write, commit.
    expect(first.dbRequests).toBe(8);
    const again = await checkIn(me);
    expect(again.reply).toMatchObject({ ok: true, data: { added: false, streak: 1, total: 1 } });
    expect((await db.collection('checkins').where({ openid: me, kind: 'day' }).get()).data).toEqual([
      expect.objectContaining({ day: today(), text: '今天学会了条件格式', visibility: 'visible' }),
    ]);
  });

  it('counts 20 check-ins sent at once as one', async () => {
    const me = await buyer();
    const replies = await Promise.all(Array.from({ length: 20 }, () => checkIn(me)));
    expect(replies.every((r) => r.reply.ok)).toBe(true);
    expect(replies.filter((r) => r.reply.ok && r.reply.data.added)).toHaveLength(1);
    expect((await db.collection('checkins').where({ openid: me, kind: 'day' }).get()).data).toHaveLength(1);
    expect((await db.collection<CheckInTally>('checkins').doc(`${me}:${COURSE}`).get()).data).toMatchObject({ total: 1, streak: 1 });
  });

  it('goes on with a streak checked in yesterday, and breaks it after a missed day', async () => {
    const kept = await buyer();
    await tallyFrom(kept, { total: 4, streak: 4, lastDay: daysAgo(1), recentDays: [daysAgo(1)] });
    expect((await checkIn(kept)).reply).toMatchObject({ ok: true, data: { added: true, streak: 5, total: 5 } });

    const missed = await buyer();
    await tallyFrom(missed, { total: 4, streak: 4, lastDay: daysAgo(2), recentDays: [daysAgo(2)] });
    const list = await ok<ListCheckInsResponse>(missed, 'listCheckIns', { courseId: COURSE });
    expect(list.data).toMatchObject({ checkedInToday: false, streak: 0, total: 4 });
    expect((await checkIn(missed)).reply).toMatchObject({ ok: true, data: { added: true, streak: 1, total: 5 } });
  });

  it('refuses a risky text, saving nothing, and holds back one WeChat wants a person to see', async () => {
    const me = await buyer();
    expect((await checkIn(me, { text: '想要资料的加微信' })).reply).toEqual({ ok: false, code: 'CONTENT_REJECTED', message: '打卡内容可能包含违规信息，请修改后再提交' });
    expect((await db.collection('checkins').where({ openid: me }).get()).data).toEqual([]);

    expect((await checkIn(me, { text: '这题我真是个笨蛋' })).reply).toMatchObject({ ok: true, data: { added: true, held: true } });
    const other = await buyer();
    const seen = await ok<ListCheckInsResponse>(other, 'listCheckIns', { courseId: COURSE });
    expect(seen.data.recent.map((r) => r.text)).not.toContain('这题我真是个笨蛋');
    const mine = await ok<ListCheckInsResponse>(me, 'listCheckIns', { courseId: COURSE });
    expect(mine.data.recent).toContainEqual(expect.objectContaining({ text: '这题我真是个笨蛋', mine: true, held: true }));
  });

  it('is for learners of the course, and checks what they write', async () => {
    expect((await checkIn(learner())).reply).toEqual({ ok: false, code: 'FORBIDDEN', message: '购买课程后才能打卡' });
    expect((await checkIn(await buyer(), { text: '   ' })).reply).toMatchObject({ ok: false, code: 'INVALID_INPUT', message: expect.stringContaining('请写点今天的收获') });
  });
});

describe('the 打卡 page (listCheckIns)', () => {
  it('shows the learner’s tally and others’ latest check-ins, newest first', async () => {
    const [a, b] = [await buyer(), await buyer()];
    await checkIn(a, { text: `第一个打卡 ${a}` });
    await checkIn(b, { text: `第二个打卡 ${b}` });
    const { data, dbRequests } = await ok<ListCheckInsResponse>(a, 'listCheckIns', { courseId: COURSE });
    expect(data).toMatchObject({ today: today(), checkedInToday: true, streak: 1, total: 1, monthDays: [today()] });
    const texts = data.recent.map((r) => r.text);
    expect(texts.indexOf(`第二个打卡 ${b}`)).toBeLessThan(texts.indexOf(`第一个打卡 ${a}`));
    expect(data.recent.find((r) => r.text === `第一个打卡 ${a}`)).toMatchObject({ mine: true, nickname: expect.any(String) });
    // The course and the entitlements; the tally and the recent check-ins at once.
    expect(dbRequests).toBe(4);
  });
});

describe('the day before a check-in day', () => {
  const at = (day: string) => new Date(`${day}T10:00:00+08:00`);
  const camp: Schedule = { startAt: at('2026-03-02'), endAt: at('2026-03-09'), sessions: ['2026-03-02', '2026-03-03', '2026-03-05', '2026-03-09'].map((d) => ({ title: d, startAt: at(d), durationMin: 60 })) };

  it('is yesterday, or for a camp its last scheduled day before (days off break nothing)', () => {
    expect(previousCheckInDay('2026-03-05')).toBe('2026-03-04');
    expect(previousCheckInDay('2026-03-01')).toBe('2026-02-28');
    expect(previousCheckInDay('2026-03-05', camp)).toBe('2026-03-03');
    expect(previousCheckInDay('2026-03-09', camp)).toBe('2026-03-05');
    expect(beijingDay(new Date('2026-03-04T17:00:00Z'))).toBe('2026-03-05');
  });
});
