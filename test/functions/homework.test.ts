import type { GetHomeworkResponse, ListHomeworkResponse, ListMyHomeworkResponse, ReviewHomeworkResponse, SubmitHomeworkResponse } from '../../domain/contracts/homework';
import type { StudySummary } from '../../domain/contracts/learning';
import type { ListMessagesResponse } from '../../domain/contracts/messages';
import { buy, call, ok, outboxOf } from '../support/commerce';
import { connectSdk, control, emulatorUrl, uniqueName } from '../support/sdk';
import { callAsStaff, staffOk } from '../support/staff';

/**
 * Homework (issue 10): handed in by learners of the course, files checked by WeChat before anyone else sees
 * them, text checked at once, graded by staff with a message to the learner.
 */
const { cloud } = connectSdk();
const db = connectSdk().database();
/** A free course's lesson: any learner may study it. */
const FREE = 'gongkao-intro-02';
/** A paid course's lesson (excel-basics). */
const PAID = 'excel-basics-03';

const learner = () => uniqueName('o-homework');

/** What the learner's `wx.cloud.uploadFile` puts under their folder (the storage rules allow only there). */
async function upload(openid: string, name: string, bytes: Buffer | string = 'png-bytes') {
  const { fileID } = (await cloud.uploadFile({ cloudPath: `homework/${openid}/${name}`, fileContent: Buffer.from(bytes) })) as { fileID: string };
  return fileID;
}

/** WeChat pushes the learner's pending media verdicts now (wxa_media_check to mediaCheckNotify). */
const flushMediaChecks = (openid: string) => control('POST', `/openapi/media-checks/flush?openid=${openid}`);

const submit = (openid: string, data: Record<string, unknown>) => call<SubmitHomeworkResponse>(openid, 'submitHomework', data);
const mine = async (openid: string, assignmentId = FREE) => (await ok<GetHomeworkResponse>(openid, 'getHomework', { assignmentId })).data;
const queue = async () => (await staffOk<ListHomeworkResponse>('teacher', 'listHomework', { pageSize: 20 })).data.homework;

describe('submitHomework', () => {
  it('checks the pictures with WeChat before a teacher sees the homework, then grades it and tells the learner', async () => {
    const me = learner();
    const picture = await upload(me, 'answer-1.png');
    const handed = await submit(me, { assignmentId: FREE, text: '第 1 题选 A，因为前后语义递进', imageFileIds: [picture] });
    expect(handed.reply).toMatchObject({ ok: true, data: { homework: { status: 'checking', text: '第 1 题选 A，因为前后语义递进', images: [{ fileId: picture, url: expect.stringMatching(/^http/) }] } } });
    const id = handed.reply.ok ? handed.reply.data.homework.id : '';
    expect((await queue()).map((h) => h.id)).not.toContain(id);

    await flushMediaChecks(me);
    expect((await mine(me)).mine).toMatchObject({ status: 'submitted' });
    expect((await queue()).find((h) => h.id === id)).toMatchObject({ text: '第 1 题选 A，因为前后语义递进', lessonTitle: '言语理解：逻辑填空' });

    await fetch(`${emulatorUrl()}/gateway/subscribeMessage`, { method: 'POST', body: JSON.stringify({ openid: me, tmplIds: ['homework-reviewed'], accept: true }) });
    const graded = await staffOk<ReviewHomeworkResponse>('teacher', 'reviewHomework', { homeworkId: id, score: 92, feedback: '思路清晰，第 3 题再看看转折词' });
    expect(graded.data).toMatchObject({ notified: true, homework: { status: 'reviewed', review: { score: 92, feedback: '思路清晰，第 3 题再看看转折词' } } });
    expect(await outboxOf(me)).toEqual([
      expect.objectContaining({
        templateId: 'homework-reviewed',
        page: `packages/learn/homework/index?assignmentId=${FREE}`,
        data: { thing1: '言语理解：逻辑填空', phrase2: '优秀', thing3: '思路清晰，第 3 题再看看转折词' },
      }),
    ]);
    expect((await mine(me)).mine).toMatchObject({ status: 'reviewed', review: { score: 92 } });
    // An in-app message too: counted unread on 我的 until the learner opens 消息.
    expect((await ok<StudySummary>(me, 'getStudySummary')).data.unreadMessages).toBe(1);
    const inbox = await ok<ListMessagesResponse>(me, 'listMessages', {});
    expect(inbox.data.messages).toEqual([expect.objectContaining({ kind: 'homeworkReviewed', title: '作业已批改', read: false, page: `packages/learn/homework/index?assignmentId=${FREE}` })]);
    expect((await ok<StudySummary>(me, 'getStudySummary')).data.unreadMessages).toBe(0);
    expect((await ok<ListMessagesResponse>(me, 'listMessages', {})).data.messages[0]).toMatchObject({ read: true });

    // Graded is final for the learner.
    expect((await submit(me, { assignmentId: FREE, text: '改一下答案' })).reply).toEqual({ ok: false, code: 'CONFLICT', message: '作业已批改，不能再修改' });
    const listed = await ok<ListMyHomeworkResponse>(me, 'listMyHomework', {});
    expect(listed.data.homework).toEqual([expect.objectContaining({ id, status: 'reviewed', review: expect.objectContaining({ score: 92 }) })]);
  });

  it('returns the homework when WeChat refuses a picture, and the learner hands in again', async () => {
    const me = learner();
    const risky = await upload(me, 'moderation-samples/risky/photo.png');
    await ok(me, 'submitHomework', { assignmentId: FREE, imageFileIds: [risky] });
    await flushMediaChecks(me);
    expect((await mine(me)).mine).toMatchObject({ status: 'returned', rejection: '图片或音频未通过内容审核，请修改后重新提交' });

    const fine = await upload(me, 'retake.png');
    await ok(me, 'submitHomework', { assignmentId: FREE, text: '重新拍了一张', imageFileIds: [fine] });
    await flushMediaChecks(me);
    expect((await mine(me)).mine).toMatchObject({ status: 'submitted', images: [{ fileId: fine }] });
    expect((await db.collection('homework').where({ openid: me }).get()).data).toHaveLength(1);
  });

  it('holds risky-looking text back: refused at once when risky, sent to staff when doubtful', async () => {
    const me = learner();
    expect((await submit(me, { assignmentId: FREE, text: '代写作业请加微信' })).reply).toEqual({ ok: false, code: 'CONTENT_REJECTED', message: '作业内容可能包含违规信息，请修改后再提交' });
    const held = await submit(me, { assignmentId: FREE, text: '这题出得真傻瓜' });
    expect(held.reply).toMatchObject({ ok: true, data: { homework: { status: 'held' } } });
    const id = held.reply.ok ? held.reply.data.homework.id : '';
    expect((await queue()).map((h) => h.id)).not.toContain(id);
    expect((await callAsStaff('teacher', 'reviewHomework', { homeworkId: id, score: 60, feedback: '好' })).reply).toMatchObject({ ok: false, code: 'CONFLICT' });
  });

  it('takes only what the assignment accepts, from the learner’s own uploads, from learners of the course', async () => {
    const me = learner();
    expect((await submit(me, { assignmentId: PAID, text: '我的作业' })).reply).toEqual({ ok: false, code: 'FORBIDDEN', message: '购买课程后才能提交作业' });
    await buy(me, { courseId: 'excel-basics' });
    expect((await submit(me, { assignmentId: 'excel-basics-04', text: '我的作业' })).reply).toEqual({ ok: false, code: 'NOT_FOUND', message: '这节课没有布置作业' });
    expect((await submit(me, { assignmentId: PAID })).reply).toMatchObject({ ok: false, code: 'INVALID_INPUT', message: expect.stringContaining('请填写作业内容或上传图片、音频') });
    const four = await Promise.all([1, 2, 3, 4].map((n) => upload(me, `p${n}.png`)));
    expect((await submit(me, { assignmentId: PAID, imageFileIds: four })).reply).toEqual({ ok: false, code: 'INVALID_INPUT', message: '这份作业最多交 3 张图片' });
    expect((await submit(me, { assignmentId: PAID, audioFileId: four[0] })).reply).toEqual({ ok: false, code: 'INVALID_INPUT', message: '这份作业不收音频' });
    const someoneElses = await upload(learner(), 'theirs.png');
    expect((await submit(me, { assignmentId: PAID, imageFileIds: [someoneElses] })).reply).toEqual({ ok: false, code: 'FORBIDDEN', message: '只能提交自己上传的文件' });
    const gone = four[0]!.replace('p1.png', 'never-uploaded.png');
    expect((await submit(me, { assignmentId: PAID, imageFileIds: [gone] })).reply).toEqual({ ok: false, code: 'INVALID_INPUT', message: '文件不存在或已删除，请重新上传' });
    const huge = await upload(me, 'huge.png', Buffer.alloc(10 * 1024 * 1024 + 1));
    expect((await submit(me, { assignmentId: PAID, imageFileIds: [huge] })).reply).toEqual({ ok: false, code: 'INVALID_INPUT', message: '图片不能超过 10MB' });
    expect((await submit(me, { assignmentId: PAID, text: '三种格式：数值、日期、条件格式', imageFileIds: four.slice(0, 3) })).reply).toMatchObject({ ok: true });
  });

  it('shows the examples a teacher featured to the other learners of the lesson', async () => {
    const author = learner();
    const handed = await ok<SubmitHomeworkResponse>(author, 'submitHomework', { assignmentId: FREE, text: '示范作业：先找关联词' });
    await staffOk('teacher', 'reviewHomework', { homeworkId: handed.data.homework.id, score: 98, feedback: '可以作为范例', feature: true });
    const other = await mine(learner());
    expect(other.mine).toBeUndefined();
    expect(other.assignment).toMatchObject({ prompt: expect.stringContaining('逻辑填空'), accepts: { text: true, images: 3, audio: false }, closed: false });
    expect(other.featured).toContainEqual(expect.objectContaining({ text: '示范作业：先找关联词', score: 98 }));
    // Named without the author's openid.
    expect(JSON.stringify(other.featured)).not.toContain(author);
  });

  it('is graded by staff only', async () => {
    expect((await call(learner(), 'reviewHomework', { homeworkId: 'x', score: 100, feedback: '满分' })).reply).toEqual({ ok: false, code: 'FORBIDDEN', message: '无权操作' });
    expect((await call(learner(), 'listHomework', {})).reply).toEqual({ ok: false, code: 'FORBIDDEN', message: '无权操作' });
  });
});
