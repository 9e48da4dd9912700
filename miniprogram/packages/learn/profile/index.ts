import { messageOf } from '../../../services/cloud';
import { myProfile, updateProfile, uploadAvatar } from '../../../services/profile';

type ProfileData = {
  status: 'loading' | 'ready' | 'error';
  errorMessage: string;
  openid: string;
  /** what is saved */
  savedNickname: string;
  savedAvatar: string;
  /** what the page shows: the saved avatar, or the one just chosen (a local temp file) */
  avatarUrl: string;
  avatarInitial: string;
  /** the chosen avatar, uploaded on save */
  pendingAvatar: string;
  nickname: string;
  saving: boolean;
};

type ProfileMethods = {
  load(): Promise<void>;
  onRetry(): void;
  onChooseAvatar(e: WechatMiniprogram.CustomEvent<{ avatarUrl: string }>): void;
  onNickname(e: WechatMiniprogram.CustomEvent<{ value: string }>): void;
  onSave(): Promise<void>;
};

const toast = (title: string) => void wx.showToast({ title, icon: 'none' });

/**
 * 编辑资料: WeChat's own avatar and nickname components, which ask for the privacy authorization (the
 * notice below) before handing anything over; nothing is uploaded or saved until 保存.
 */
Page<ProfileData, ProfileMethods>({
  data: {
    status: 'loading',
    errorMessage: '',
    openid: '',
    savedNickname: '',
    savedAvatar: '',
    avatarUrl: '',
    avatarInitial: '',
    pendingAvatar: '',
    nickname: '',
    saving: false,
  },

  onLoad() {
    void this.load();
  },

  async load() {
    this.setData({ status: 'loading', errorMessage: '' });
    try {
      const profile = await myProfile();
      this.setData({
        status: 'ready',
        openid: profile.openid,
        savedNickname: profile.nickname,
        savedAvatar: profile.avatarUrl,
        avatarUrl: profile.avatarUrl,
        avatarInitial: profile.nickname.slice(0, 1),
        nickname: profile.nickname,
      });
    } catch (e) {
      this.setData({ status: 'error', errorMessage: messageOf(e) });
    }
  },

  onRetry() {
    void this.load();
  },

  onChooseAvatar(e) {
    this.setData({ avatarUrl: e.detail.avatarUrl, pendingAvatar: e.detail.avatarUrl });
  },

  // WeChat fills the nickname field from the learner's WeChat name without an input event: blur says it too.
  onNickname(e) {
    this.setData({ nickname: e.detail.value });
  },

  async onSave() {
    if (this.data.saving) return;
    const nickname = this.data.nickname.trim();
    if (!nickname) return toast('请输入昵称');
    const nicknameChanged = nickname !== this.data.savedNickname;
    if (!nicknameChanged && !this.data.pendingAvatar) return toast('资料没有修改');
    this.setData({ saving: true });
    try {
      const avatarFileId = this.data.pendingAvatar ? await uploadAvatar(this.data.openid, this.data.pendingAvatar) : undefined;
      const { profile } = await updateProfile({ ...(nicknameChanged ? { nickname } : {}), ...(avatarFileId ? { avatarFileId } : {}) });
      this.setData({ savedNickname: profile.nickname, savedAvatar: profile.avatarUrl, avatarUrl: profile.avatarUrl, nickname: profile.nickname, pendingAvatar: '' });
      toast('已保存');
      void wx.navigateBack();
    } catch (e) {
      toast(messageOf(e, '保存失败，请稍后重试'));
    } finally {
      this.setData({ saving: false });
    }
  },
});
