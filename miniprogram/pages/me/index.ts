import { messageOf } from '../../services/cloud';
import { getStudySummary } from '../../services/learning';
import { login } from '../../services/user';

type MeData = {
  status: 'loading' | 'ready' | 'error';
  nickname: string;
  avatarUrl: string;
  /** First character of the nickname, shown in place of an avatar the learner has not set. */
  avatarInitial: string;
  errorMessage: string;
  /** the studying card: shown once the summary arrived */
  study: { weekMinutes: number; streak: number; continueText: string; continueUrl: string } | null;
};

type MeMethods = {
  loadProfile(): Promise<void>;
  loadStudy(): Promise<void>;
  onRetry(): void;
  onOpen(e: WechatMiniprogram.TouchEvent<Record<string, never>, Record<string, never>, { url: string }>): void;
};

Page<MeData, MeMethods>({
  data: {
    status: 'loading',
    nickname: '',
    avatarUrl: '',
    avatarInitial: '',
    errorMessage: '',
    study: null,
  },

  onLoad() {
    void this.loadProfile();
  },

  onShow() {
    // Coming back from a lesson or a check-in: the card follows.
    void this.loadStudy();
  },

  async loadProfile() {
    this.setData({ status: 'loading', errorMessage: '' });
    try {
      const { profile } = await login();
      this.setData({
        status: 'ready',
        nickname: profile.nickname,
        avatarUrl: profile.avatarUrl,
        avatarInitial: profile.nickname.slice(0, 1),
      });
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
