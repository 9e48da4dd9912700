import { getCourse } from '../../../services/catalog';
import { messageOf } from '../../../services/cloud';

/**
 * Cloud pay notifies the backend on its own: the course may open a moment after `wx.requestPayment`
 * resolved. The page asks this many times, this far apart, before saying the result is still on its way.
 */
const ATTEMPTS = 5;
const DELAY_MS = 800;

type ResultData = {
  /** checking: asking the server; purchased: the course is open; pending: not confirmed yet */
  status: 'checking' | 'purchased' | 'pending';
  courseId: string;
  courseTitle: string;
  firstLessonId: string;
  pendingText: string;
};

type ResultMethods = {
  check(): Promise<void>;
  onRefresh(): void;
  onStudy(): void;
  /** the timer of the next attempt, cleared when the learner leaves */
  timer: number | undefined;
};

const PENDING_TEXT = '课程将在支付确认后自动开通，请稍后刷新';

Page<ResultData, ResultMethods>({
  data: {
    status: 'checking',
    courseId: '',
    courseTitle: '',
    firstLessonId: '',
    pendingText: PENDING_TEXT,
  },

  timer: undefined,

  onLoad(query: Record<string, string | undefined>) {
    this.setData({ courseId: query.courseId ?? '' });
    void this.check();
  },

  onUnload() {
    if (this.timer !== undefined) clearTimeout(this.timer);
  },

  async check() {
    this.setData({ status: 'checking' });
    let pendingText = PENDING_TEXT;
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      if (attempt > 0) await new Promise<void>((done) => (this.timer = setTimeout(done, DELAY_MS)));
      try {
        const { course, viewer } = await getCourse(this.data.courseId);
        if (viewer.access === 'purchased') {
          this.setData({
            status: 'purchased',
            courseTitle: course.title,
            firstLessonId: course.outline.flatMap((chapter) => chapter.lessons)[0]?.id ?? '',
          });
          return;
        }
        pendingText = PENDING_TEXT;
      } catch (e) {
        pendingText = messageOf(e, PENDING_TEXT);
      }
    }
    this.setData({ status: 'pending', pendingText });
  },

  onRefresh() {
    if (this.data.status !== 'checking') void this.check();
  },

  onStudy() {
    // Back from the lesson leads to the course page, which reads the new access on show.
    void wx.redirectTo({ url: `/packages/course/lesson/index?id=${this.data.firstLessonId}` });
  },
});
