import { getCourse } from '../../../services/catalog';
import { messageOf } from '../../../services/cloud';
import { giftPath } from '../../../services/gifts';
import { getMyOrder } from '../../../services/orders';
import { askForReminders } from '../../../services/reminders';

/**
 * Cloud pay notifies the backend on its own: the course may open a moment after `wx.requestPayment`
 * resolved. The page asks this many times, this far apart, before saying the result is still on its way.
 */
const ATTEMPTS = 5;
const DELAY_MS = 800;

type ResultData = {
  /**
   * checking: asking the server; purchased: the course is open; member: the membership is extended;
   * gift: the gift is ready to share; pending: not confirmed yet
   */
  status: 'checking' | 'purchased' | 'member' | 'gift' | 'pending';
  /** a course bought for oneself: the page waits for it to open */
  courseId: string;
  /** a plan or a gift: the page waits for its order to be paid */
  orderId: string;
  title: string;
  cover: string;
  firstLessonId: string;
  pendingText: string;
  /** a live course or a camp: the learner may ask to be reminded before each session */
  remindable: boolean;
  reminded: boolean;
};

type ResultMethods = {
  check(): Promise<void>;
  /** whether the purchase is complete, having shown it if so */
  settled(): Promise<boolean>;
  onRefresh(): void;
  onStudy(): void;
  onBrowse(): void;
  onViewGift(): void;
  onRemind(): Promise<void>;
  /** the timer of the next attempt, cleared when the learner leaves */
  timer: number | undefined;
};

const PENDING_TEXT: Record<'course' | 'order', string> = {
  course: '课程将在支付确认后自动开通，请稍后刷新',
  order: '支付确认后即可生效，请稍后刷新',
};

Page<ResultData, ResultMethods>({
  data: {
    status: 'checking',
    courseId: '',
    orderId: '',
    title: '',
    cover: '',
    firstLessonId: '',
    pendingText: PENDING_TEXT.course,
    remindable: false,
    reminded: false,
  },

  timer: undefined,

  onLoad(query: Record<string, string | undefined>) {
    this.setData({ courseId: query.courseId ?? '', orderId: query.orderId ?? '' });
    void this.check();
  },

  onUnload() {
    if (this.timer !== undefined) clearTimeout(this.timer);
  },

  async check() {
    this.setData({ status: 'checking' });
    const waiting = PENDING_TEXT[this.data.courseId ? 'course' : 'order'];
    let pendingText = waiting;
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      if (attempt > 0) await new Promise<void>((done) => (this.timer = setTimeout(done, DELAY_MS)));
      try {
        if (await this.settled()) return;
        pendingText = waiting;
      } catch (e) {
        pendingText = messageOf(e, waiting);
      }
    }
    this.setData({ status: 'pending', pendingText });
  },

  async settled() {
    if (this.data.courseId) {
      const { course, viewer } = await getCourse(this.data.courseId);
      if (viewer.access !== 'purchased') return false;
      this.setData({
        status: 'purchased',
        title: course.title,
        firstLessonId: course.outline.flatMap((chapter) => chapter.lessons)[0]?.id ?? '',
        remindable: course.form === 'live' || course.form === 'camp',
      });
      return true;
    }
    const { order } = await getMyOrder(this.data.orderId);
    if (order.status !== 'paid') return false;
    const { item } = order;
    this.setData({ status: item.kind === 'gift' ? 'gift' : 'member', title: item.title, cover: item.kind === 'gift' ? (item.cover ?? '') : '' });
    return true;
  },

  onRefresh() {
    if (this.data.status !== 'checking') void this.check();
  },

  onStudy() {
    // Back from the lesson leads to the course page, which reads the new access on show.
    void wx.redirectTo({ url: `/packages/course/lesson/index?id=${this.data.firstLessonId}` });
  },

  onBrowse() {
    void wx.switchTab({ url: '/pages/home/index' });
  },

  onViewGift() {
    void wx.redirectTo({ url: giftPath(this.data.orderId) });
  },

  /** 开课提醒: right after buying a live course or a camp, from the learner's tap (WeChat asks only then). */
  async onRemind() {
    try {
      const answer = await askForReminders(this.data.courseId);
      if (answer === 'declined') {
        void wx.showToast({ title: '未开启提醒，可在设置中打开订阅消息', icon: 'none' });
        return;
      }
      this.setData({ reminded: true });
    } catch (e) {
      void wx.showToast({ title: messageOf(e, '开启提醒失败，请稍后重试'), icon: 'none' });
    }
  },

  /** A paid gift is shared from here (the gift's id is its order's); otherwise the course or the app. */
  onShareAppMessage() {
    const { status, title, cover, orderId, courseId } = this.data;
    if (status === 'gift') return { title: `送你一门好课：《${title}》`, path: giftPath(orderId), ...(cover ? { imageUrl: cover } : {}) };
    return { title: title || '发现一门好课', path: courseId ? `/packages/course/detail/index?id=${courseId}` : '/pages/home/index' };
  },
});
