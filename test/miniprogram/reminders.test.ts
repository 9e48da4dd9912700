import { connectSdk, uniqueName } from '../support/sdk';
import { newLearner, renderPage } from '../support/miniprogram';
import { boughtElsewhere, openResult, until } from '../support/pages';
import { answerSubscribeDialog } from '../support/wx/subscribe';
import { ownEmulatorForFile } from '../support/own-emulator';

/**
 * Turning on the reminders before live lessons and camp days, at the moments a learner wants them: right
 * after buying a live course, and beside a camp day's task on the 打卡 page. WeChat's dialog goes to the
 * emulator, and the subscription to the real subscribeReminder.
 */
// Its courses and lessons are the catalog's for as long as the run lasts: an emulator of its own.
ownEmulatorForFile('reminders');
const db = connectSdk().database();
const reminderOf = async (openid: string, courseId: string) => (await db.collection('reminders').where({ _id: `${openid}:${courseId}` }).get()).data[0];

describe('开课提醒 after buying a live course', () => {
  it('offers the reminder, and records it once the learner accepts', async () => {
    const learner = newLearner();
    await boughtElsewhere(learner, { courseId: 'ielts-live' });
    const result = openResult(learner, { courseId: 'ielts-live' });
    await until(result, '购买成功');
    expect(result.text('.result__remind')).toBe('开启开课提醒');

    result.tap('.result__remind');
    await result.settle();
    expect(result.text('.result__reminded')).toBe('已开启提醒，每次开课前 15 分钟通知你');
    expect(result.exists('.result__remind')).toBe(false);
    expect(await reminderOf(learner, 'ielts-live')).toMatchObject({ kind: 'subscription', courseId: 'ielts-live' });
  });

  it('records nothing when the learner declines, and says how to turn it on later', async () => {
    const learner = newLearner();
    await boughtElsewhere(learner, { courseId: 'ielts-live' });
    const result = openResult(learner, { courseId: 'ielts-live' });
    await until(result, '购买成功');
    answerSubscribeDialog(false);
    result.tap('.result__remind');
    await result.settle();
    expect(result.wxCalls('showToast')).toEqual([{ title: '未开启提醒，可在设置中打开订阅消息', icon: 'none' }]);
    expect(result.exists('.result__remind')).toBe(true);
    expect(await reminderOf(learner, 'ielts-live')).toBeUndefined();
  });

  it('offers nothing after buying a recorded course', async () => {
    const learner = newLearner();
    await boughtElsewhere(learner, { courseId: 'excel-advanced' });
    const result = openResult(learner, { courseId: 'excel-advanced' });
    await until(result, '购买成功');
    expect(result.exists('.result__remind')).toBe(false);
  });
});

describe('开课提醒 on a camp day’s 打卡 page', () => {
  it('turns on the camp’s reminders from beside today’s task', async () => {
    const campId = uniqueName('camp');
    const now = Date.now();
    // Data setup: a free camp (anyone studies it) with a session today.
    await db.collection('courses').add({
      data: {
        _id: campId,
        title: '提醒训练营',
        status: 'published',
        form: 'camp',
        price: { amount: 0, includedInMembership: false },
        outline: [],
        schedule: {
          startAt: new Date(now - 86_400_000),
          endAt: new Date(now + 5 * 86_400_000),
          sessions: [{ title: 'Day 2 配色', startAt: new Date(now), durationMin: 30, task: '改一页 PPT 的配色' }],
        },
      },
    });
    const learner = newLearner();
    const page = renderPage('packages/learn/checkin/index', { openid: learner, query: { courseId: campId } });
    await page.settle();
    expect(page.text('.checkin__remind')).toBe('开课提醒');
    page.tap('.checkin__remind');
    await page.settle();
    expect(page.wxCalls('showToast')).toEqual([{ title: '已开启，每天开课前提醒你', icon: 'none' }]);
    expect(page.exists('.checkin__remind')).toBe(false);
    expect(await reminderOf(learner, campId)).toMatchObject({ kind: 'subscription', courseId: campId });
  });
});
