import { messageOf } from '../../services/cloud';
import { getStudySummary } from '../../services/learning';
import { transport } from '../../services/transport/index';
import { login, type Profile } from '../../services/user';

type MeData = {
  status: 'loading' | 'ready' | 'error';
  nickname: string;
  avatarUrl: string;
  /** First character of the nickname, shown in place of an avatar the learner has not set. */
  avatarInitial: string;
  errorMessage: string;
  /** the studying card: shown once the summary arrived */
  study: { weekMinutes: number; streak: number; continueText: string; continueUrl: string } | null;
  /** messages not read yet, beside 消息 */
  unread: number;
  /** 打卡日历: the course studied last, else 我的课程 to pick one */
  checkinUrl: string;
  /** on the local cloud (DevTools): the learner acted as, beside 开发者面板; '' on WeChat's cloud */
  devLearner: string;
};

type MeMethods = {
  loadProfile(): Promise<void>;
  loadStudy(): Promise<void>;
  onRetry(): void;
  onOpen(e: WechatMiniprogram.TouchEvent<Record<string, never>, Record<string, never>, { url: string }>): void;
  /** set once the page has shown: showing again reads the profile again (it may have been edited) */
  shown: boolean;
};

const profileData = (profile: Profile) => ({ nickname: profile.nickname, avatarUrl: profile.avatarUrl, avatarInitial: profile.nickname.slice(0, 1) });

Page<MeData, MeMethods>({
  data: {
    status: 'loading',
    nickname: '',
    avatarUrl: '',
    avatarInitial: '',
    errorMessage: '',
    study: null,
    unread: 0,
    checkinUrl: '/packages/learn/my-courses/index',
    devLearner: '',
  },

  shown: false,

  onLoad() {
    this.setData({ devLearner: transport().local?.learner.name ?? '' });
    void this.loadProfile();
  },

  onShow() {
    // Coming back from a lesson or a check-in: the card follows; from 编辑资料, the name and avatar.
    // Quietly: the profile on screen stays if this fails.
    if (this.shown && this.data.status === 'ready') login().then(({ profile }) => this.setData(profileData(profile)), () => undefined);
    this.shown = true;
    void this.loadStudy();
  },

  async loadProfile() {
    this.setData({ status: 'loading', errorMessage: '' });
    try {
      const { profile } = await login();
      this.setData({ status: 'ready', ...profileData(profile) });
    } catch (e) {
      this.setData({ status: 'error', errorMessage: messageOf(e) });
    }
  },

  /** The studying card; without it the page still works, so a failure only leaves it out. */
  async loadStudy() {
    try {
      const summary = await getStudySummary();
      const next = summary.continue;
      this.setData({
        study: {
          weekMinutes: summary.weekMinutes,
          streak: summary.streak,
          continueText: next ? `${next.courseTitle} · ${next.lessonTitle}` : '',
          continueUrl: next ? `/packages/course/lesson/index?id=${next.lessonId}` : '',
        },
        checkinUrl: next ? `/packages/learn/checkin/index?courseId=${next.courseId}` : '/packages/learn/my-courses/index',
        unread: summary.unreadMessages,
      });
    } catch {
      this.setData({ study: null });
    }
  },

  onRetry() {
    void this.loadProfile();
    void this.loadStudy();
  },

  /** My courses, orders, membership, gifts and lessons live in subpackages: this page only links to them. */
  onOpen(e) {
    void wx.navigateTo({ url: e.currentTarget.dataset.url });
  },
});
