import type { ListHomeworkResponse, ReviewHomeworkResponse, SubmitHomeworkResponse } from '../../domain/contracts/homework';
import type { GetLearnerResponse, SearchLearnersResponse } from '../../domain/contracts/learners';
import type { ListCheckInsAdminResponse, ModerateContentResponse } from '../../domain/contracts/moderation';
import type { ListAuditResponse, ListStaffResponse, SaveStaffResponse } from '../../domain/contracts/staff';
import type { StaffMember } from '../../domain/staff/staff';
import { buy, ok } from '../support/commerce';
import { ownEmulatorForFile } from '../support/own-emulator';
import { connectSdk, uniqueName } from '../support/sdk';
import { callAsStaff, staffOk, uidOf } from '../support/staff';

/**
 * A teacher handles the homework, check-ins and learners of the courses they teach (their `staff` document's
 * `courseIds`), the owner every course's. Its own emulator: it changes the demo teacher's document and puts an
 * assignment on a course's lesson.
 */
ownEmulatorForFile('teacher-scope');

const db = () => connectSdk().database();
/** Courses of the demo teacher's (database/demo/staff.jsonl): a free one and a paid one. */
const TAUGHT_FREE = 'gongkao-intro';
const TAUGHT_PAID = 'excel-basics';
/** A course the demo teacher does not teach. */
const OTHER = 'talk-meeting';
const OTHER_LESSON = 'talk-meeting-02';

const learner = () => uniqueName('o-scope');

async function signedUp() {
  const openid = learner();
  await ok(openid, 'login');
  return openid;
}

const homeworkIds = async (account: 'teacher' | 'owner', req: Record<string, unknown> = {}) =>
  (await staffOk<ListHomeworkResponse>(account, 'listHomework', { pageSize: 20, ...req })).data.homework.map((h) => h.id);
const checkIns = async (account: 'teacher' | 'owner', req: Record<string, unknown> = {}) =>
  (await staffOk<ListCheckInsAdminResponse>(account, 'listCheckInsAdmin', { pageSize: 20, ...req })).data.items;
const learnersFound = async (account: 'teacher' | 'owner', req: Record<string, unknown> = {}) =>
  (await staffOk<SearchLearnersResponse>(account, 'searchLearners', { pageSize: 20, ...req })).data.learners.map((l) => l.openid);

beforeAll(async () => {
  // Data setup: an assignment on a lesson of a course the demo teacher does not teach (the demo's are all theirs).
  await db()
    .collection('lessons')
    .doc(OTHER_LESSON)
    .update({ data: { assignment: { prompt: '写下你下次开会前要准备的三件事。', accepts: { text: true, images: 0, audio: false } } } });
});

describe('a teacher’s courses', () => {
  it('shows a teacher the homework of the courses they teach only, and lets them grade only those', async () => {
    const mine = (await ok<SubmitHomeworkResponse>(learner(), 'submitHomework', { assignmentId: `${TAUGHT_FREE}-02`, text: '第 1 题选 A，因为前后语义递进' })).data.homework.id;
    const someone = learner();
    await buy(someone, { courseId: OTHER });
    const theirs = (await ok<SubmitHomeworkResponse>(someone, 'submitHomework', { assignmentId: OTHER_LESSON, text: '议程、数据、结论' })).data.homework.id;

    const seen = await homeworkIds('teacher');
    expect(seen).toContain(mine);
    expect(seen).not.toContain(theirs);
    expect(await homeworkIds('teacher', { courseId: TAUGHT_FREE })).toContain(mine);
    expect((await callAsStaff('teacher', 'listHomework', { courseId: OTHER })).reply).toEqual({ ok: false, code: 'FORBIDDEN', message: '只能查看自己课程的作业' });
    expect(await homeworkIds('owner')).toEqual(expect.arrayContaining([mine, theirs]));

    expect((await callAsStaff('teacher', 'reviewHomework', { homeworkId: theirs, score: 80, feedback: '不错' })).reply).toEqual({ ok: false, code: 'FORBIDDEN', message: '只能批改自己课程的作业' });
    expect((await staffOk<ReviewHomeworkResponse>('teacher', 'reviewHomework', { homeworkId: mine, score: 80, feedback: '不错' })).data.homework.status).toBe('reviewed');
    expect((await staffOk<ReviewHomeworkResponse>('owner', 'reviewHomework', { homeworkId: theirs, score: 85, feedback: '条理清楚' })).data.homework.status).toBe('reviewed');
  });

  it('shows a teacher the check-ins of their courses only, and lets them hide only those', async () => {
    await ok(learner(), 'checkIn', { courseId: TAUGHT_FREE, text: '今天练了 5 道逻辑填空' });
    const someone = learner();
    await buy(someone, { courseId: OTHER });
    await ok(someone, 'checkIn', { courseId: OTHER, text: '今天练了会议开场白' });

    const seen = await checkIns('teacher');
    const mine = seen.find((c) => c.text === '今天练了 5 道逻辑填空')!;
    expect(mine).toBeDefined();
    expect(seen.map((c) => c.courseId)).not.toContain(OTHER);
    expect((await callAsStaff('teacher', 'listCheckInsAdmin', { courseId: OTHER })).reply).toEqual({ ok: false, code: 'FORBIDDEN', message: '只能查看自己课程的打卡' });
    const theirs = (await checkIns('owner')).find((c) => c.text === '今天练了会议开场白')!;
    expect(theirs).toMatchObject({ courseId: OTHER });

    expect((await callAsStaff('teacher', 'moderateCheckIn', { id: theirs.id, decision: 'hide' })).reply).toEqual({ ok: false, code: 'FORBIDDEN', message: '只能管理自己课程的打卡' });
    expect((await staffOk<ModerateContentResponse>('teacher', 'moderateCheckIn', { id: mine.id, decision: 'hide' })).data).toEqual({ hidden: true });
    expect((await staffOk<ModerateContentResponse>('owner', 'moderateCheckIn', { id: theirs.id, decision: 'hide' })).data).toEqual({ hidden: true });
  });

  it('lets a teacher find and open the learners of their courses only, and see only those courses', async () => {
    const taught = await signedUp();
    await buy(taught, { courseId: TAUGHT_PAID });
    await buy(taught, { courseId: OTHER });
    const other = await signedUp();
    await buy(other, { courseId: OTHER });

    const { data, dbRequests } = await staffOk<SearchLearnersResponse>('teacher', 'searchLearners', { pageSize: 20 });
    // The role, the learners of the teacher's courses, the page.
    expect(dbRequests).toBe(3);
    expect(data.learners.map((l) => l.openid)).toContain(taught);
    expect(data.learners.map((l) => l.openid)).not.toContain(other);
    expect(await learnersFound('teacher', { keyword: other })).toEqual([]);
    expect(await learnersFound('teacher', { keyword: taught })).toEqual([taught]);
    expect(await learnersFound('owner')).toEqual(expect.arrayContaining([taught, other]));

    expect((await callAsStaff('teacher', 'getLearner', { openid: other })).reply).toEqual({ ok: false, code: 'FORBIDDEN', message: '只能查看自己课程的学员' });
    const asTeacher = (await staffOk<GetLearnerResponse>('teacher', 'getLearner', { openid: taught })).data;
    expect(asTeacher.entitlements.map((e) => e.courseId)).toEqual([TAUGHT_PAID]);
    const asOwner = (await staffOk<GetLearnerResponse>('owner', 'getLearner', { openid: taught })).data;
    expect(asOwner.entitlements.map((e) => e.courseId).sort()).toEqual([OTHER, TAUGHT_PAID].sort());
    expect((await staffOk<GetLearnerResponse>('owner', 'getLearner', { openid: other })).data.entitlements.map((e) => e.courseId)).toEqual([OTHER]);
  });

  it('lets the owner set the courses a teacher teaches, each a course that exists, in the audit log', async () => {
    const member = { uid: 'u-scope-teacher', name: '王老师', roles: ['teacher'], active: true };
    const saved = await staffOk<SaveStaffResponse>('owner', 'saveStaff', { ...member, courseIds: [TAUGHT_PAID, OTHER] });
    expect(saved.data).toEqual({ staff: { ...member, courseIds: [TAUGHT_PAID, OTHER] }, existed: false });
    expect((await staffOk<ListStaffResponse>('owner', 'listStaff')).data.staff).toContainEqual({ ...member, courseIds: [TAUGHT_PAID, OTHER] });

    expect((await callAsStaff('owner', 'saveStaff', { ...member, courseIds: [TAUGHT_PAID, 'no-such-course'] })).reply).toEqual({
      ok: false,
      code: 'INVALID_INPUT',
      message: '参数错误：courseIds：课程不存在：no-such-course',
    });
    expect((await callAsStaff('owner', 'saveStaff', { ...member, courseIds: [OTHER, OTHER] })).reply).toMatchObject({ ok: false, code: 'INVALID_INPUT', message: expect.stringContaining('课程不能重复') });
    expect((await callAsStaff('owner', 'saveStaff', { ...member, courseIds: Array.from({ length: 51 }, (_, i) => `c${i}`) })).reply).toMatchObject({
      ok: false,
      code: 'INVALID_INPUT',
      message: expect.stringContaining('最多选择 50 门课程'),
    });

    await staffOk('owner', 'saveStaff', { ...member, courseIds: [TAUGHT_PAID] });
    const [entry] = (await staffOk<ListAuditResponse>('owner', 'listAudit', { targetId: member.uid })).data.entries;
    expect(entry).toMatchObject({ action: 'staff.manage', before: { courseIds: [TAUGHT_PAID, OTHER] }, after: { courseIds: [TAUGHT_PAID] } });
  });

  it('shows a teacher without courses nothing, and leaves a teacher who is also support every learner', async () => {
    const teacher = db().collection<Omit<StaffMember, '_id'>>('staff').doc(uidOf('teacher'));
    const { courseIds } = (await teacher.get()).data;
    const other = await signedUp();
    await buy(other, { courseId: OTHER });
    try {
      await teacher.update({ data: { courseIds: [] } });
      expect(await homeworkIds('teacher')).toEqual([]);
      expect(await checkIns('teacher')).toEqual([]);
      expect(await learnersFound('teacher')).toEqual([]);

      // Support's learners.read covers every learner; homework stays the teacher's, of their courses.
      await teacher.update({ data: { roles: ['teacher', 'support'] } });
      expect(await learnersFound('teacher', { keyword: other })).toEqual([other]);
      expect((await staffOk<GetLearnerResponse>('teacher', 'getLearner', { openid: other })).data.entitlements.map((e) => e.courseId)).toEqual([OTHER]);
      expect(await homeworkIds('teacher')).toEqual([]);
    } finally {
      await teacher.update({ data: { roles: ['teacher'], courseIds } });
    }
  });
});
