import { messageOf } from '../../services/cloud';
import { login } from '../../services/user';

type MeData = {
  status: 'loading' | 'ready' | 'error';
  nickname: string;
  avatarUrl: string;
  /** First character of the nickname, shown in place of an avatar the learner has not set. */
  avatarInitial: string;
  errorMessage: string;
};

type MeMethods = {
  loadProfile(): Promise<void>;
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
  },

  onLoad() {
    void this.loadProfile();
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

  onRetry() {
    void this.loadProfile();
  },

  /** My courses, orders, membership and gifts live in subpackages: this page only links to them. */
  onOpen(e) {
    void wx.navigateTo({ url: e.currentTarget.dataset.url });
  },
});
