import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newLearner, renderPage } from '../support/miniprogram';
import { boughtElsewhere, gateway } from '../support/pages';
import { emulatorUrl } from '../support/sdk';
import { pickMedia, recordAudio } from '../support/wx/choose';
import { postJson } from '../support/wx/http';
import { staffOk } from '../support/staff';

/** The homework page: the assignment, handing in text and pictures, the status, the teacher's grade. */
const ASSIGNMENT = 'gongkao-intro-02';

describe('homework page', () => {
  const dir = mkdtempSync(join(tmpdir(), 'zhishi-homework-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('hands in text and a picture after the privacy notice, and shows the grade once a teacher reviewed it', async () => {
    const me = newLearner();
    const page = renderPage('packages/learn/homework/index', { openid: me, query: { assignmentId: ASSIGNMENT } });
    await page.settle();
    expect(page.text('.homework__lesson')).toBe('《言语理解：逻辑填空》课后作业');
    expect(page.text('.homework__meta')).toContain('可提交：文字、最多 3 张图片');
    expect(page.exists('.homework__mine')).toBe(false);

    const photo = join(dir, 'answer.jpg');
    writeFileSync(photo, 'jpeg-bytes');
    pickMedia([photo]);
    page.tap('.homework__add');
    // WeChat asks the page's privacy notice first; the learner agrees.
    await new Promise((r) => setTimeout(r, 20));
    const popup = page.component.querySelector('.homework__privacy')!;
    expect(popup.querySelector('.privacy__title')!.dom.textContent).toBe('隐私保护提示');
    popup.querySelector('#privacy-agree')!.dispatchEvent('agreeprivacyauthorization', {});
    await page.settle();
    expect(page.component.dom.querySelectorAll('.main--homework__picture-box')).toHaveLength(1);

    page.component.querySelector('.homework__input')!.dispatchEvent('input', { detail: { value: '1-5 题：A C B D A，关键看转折词' } });
    page.tap('.homework__submit');
    await page.settle();
    expect(page.wxCalls('showToast')).toEqual([{ title: '已提交，内容审核后交给老师', icon: 'none' }]);
    expect(page.text('.homework__status')).toBe('审核中');

    // WeChat's verdict on the picture arrives; a teacher grades the homework.
    await postJson(`${emulatorUrl()}/__emulator/openapi/media-checks/flush?openid=${me}`, {});
    const mine = (await gateway<{ homework: Array<{ id: string; status: string }> }>(me, 'listMyHomework', {})).homework[0]!;
    expect(mine.status).toBe('submitted');
    await staffOk('teacher', 'reviewHomework', { homeworkId: mine.id, score: 88, feedback: '第 4 题再想想' });

    const again = renderPage('packages/learn/homework/index', { openid: me, query: { assignmentId: ASSIGNMENT } });
    await again.settle();
    expect(again.text('.homework__status')).toBe('已批改');
    expect(again.text('.homework__review')).toBe('88分老师点评：第 4 题再想想');
    expect(again.text('.homework__text')).toBe('1-5 题：A C B D A，关键看转折词');
    expect(again.exists('.homework__form')).toBe(false);
  });

  it('hands in a recording where the assignment takes audio', async () => {
    const me = newLearner();
    await boughtElsewhere(me, { courseId: 'ppt-camp' });
    const page = renderPage('packages/learn/homework/index', { openid: me, query: { assignmentId: 'ppt-camp-03' } });
    await page.settle();
    expect(page.text('.homework__meta')).toContain('可提交：文字、最多 2 张图片、音频');

    const voice = join(dir, 'voice.mp3');
    writeFileSync(voice, 'mp3-bytes');
    recordAudio(voice, 32_000);
    page.tap('.homework__record');
    await new Promise((r) => setTimeout(r, 20));
    page.component.querySelector('.homework__privacy')!.querySelector('#privacy-agree')!.dispatchEvent('agreeprivacyauthorization', {});
    await page.settle();
    expect(page.text('.homework__record')).toBe('停止录音');
    page.tap('.homework__record');
    await page.settle();
    expect(page.text('.homework__audio')).toBe('录音 0:32删除');

    page.tap('.homework__submit');
    await page.settle();
    expect(page.wxCalls('showToast')).toEqual([{ title: '已提交，内容审核后交给老师', icon: 'none' }]);
    const handed = await gateway<{ mine: { status: string; audio?: { fileId: string } } }>(me, 'getHomework', { assignmentId: 'ppt-camp-03' });
    expect(handed.mine).toMatchObject({ status: 'checking', audio: { fileId: expect.stringMatching(new RegExp(`/homework/${me}/homework/.+\\.mp3$`)) } });
    await postJson(`${emulatorUrl()}/__emulator/openapi/media-checks/flush?openid=${me}`, {});
    expect((await gateway<{ mine: { status: string } }>(me, 'getHomework', { assignmentId: 'ppt-camp-03' })).mine.status).toBe('submitted');
  });

  it('lists the learner’s homework under 我的作业 and opens one', async () => {
    const me = newLearner();
    await gateway(me, 'submitHomework', { assignmentId: ASSIGNMENT, text: '我的答案' });
    const page = renderPage('packages/learn/homework-list/index', { openid: me });
    await page.settle();
    expect(page.text('.homework-list__item')).toContain('言语理解：逻辑填空');
    expect(page.text('.homework-list__status')).toBe('待批改');
    page.tap('.homework-list__item');
    await page.settle();
    expect(page.wxCalls('navigateTo')).toEqual([{ url: `/packages/learn/homework/index?assignmentId=${ASSIGNMENT}` }]);
  });

  it('tells a learner who has not bought the course why they cannot hand in', async () => {
    const page = renderPage('packages/learn/homework/index', { openid: newLearner(), query: { assignmentId: 'excel-basics-03' } });
    await page.settle();
    expect(page.text('.homework__error')).toContain('购买课程后才能提交作业');
  });
});

describe('lesson page', () => {
  it('links a lesson’s homework, with its prompt', async () => {
    const page = renderPage('packages/course/lesson/index', { openid: newLearner(), query: { id: ASSIGNMENT } });
    await page.settle();
    expect(page.text('.lesson__homework')).toBe('课后作业去提交 ›完成课后 5 道逻辑填空练习，写下你的答案和每道题的解题思路。');
    page.tap('.lesson__homework');
    await page.settle();
    expect(page.wxCalls('navigateTo')).toEqual([{ url: `/packages/learn/homework/index?assignmentId=${ASSIGNMENT}` }]);
  });

  it('shows no homework link on a lesson without one', async () => {
    const page = renderPage('packages/course/lesson/index', { openid: newLearner(), query: { id: 'gongkao-intro-01' } });
    await page.settle();
    expect(page.exists('.lesson__title')).toBe(true);
    expect(page.exists('.lesson__homework')).toBe(false);
  });
});
