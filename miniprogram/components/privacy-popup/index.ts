type Resolve = (result: { event: 'agree' | 'disagree'; buttonId?: string }) => void;

/**
 * WeChat's privacy authorization (`__usePrivacyCheck__`): the first time the page calls an API that touches
 * personal information (avatar, nickname, album, microphone...), WeChat asks this page to show its privacy
 * notice and waits for the learner's answer; nothing is collected before they agree. The listener is
 * registered while the page shows, since WeChat keeps one.
 */
Component({
  data: { show: false },
  lifetimes: {
    attached() {
      this.listen();
    },
  },
  pageLifetimes: {
    // Back on this page after another registered its own.
    show() {
      this.listen();
    },
  },
  methods: {
    listen() {
      if (typeof wx.onNeedPrivacyAuthorization !== 'function') return;
      const listener = (resolve: Resolve) => {
        (this as unknown as { resolve?: Resolve }).resolve = resolve;
        this.setData({ show: true });
      };
      // The typings describe the listener's argument as a plain result; WeChat passes the resolve function first.
      wx.onNeedPrivacyAuthorization(listener as unknown as WechatMiniprogram.OnNeedPrivacyAuthorizationCallback);
    },
    answer(result: Parameters<Resolve>[0]) {
      (this as unknown as { resolve?: Resolve }).resolve?.(result);
      (this as unknown as { resolve?: Resolve }).resolve = undefined;
      this.setData({ show: false });
    },
    onAgree() {
      this.answer({ event: 'agree', buttonId: 'privacy-agree' });
    },
    onDisagree() {
      this.answer({ event: 'disagree' });
    },
    onPolicy() {
      void wx.navigateTo({ url: '/pages/privacy/index' });
    },
  },
});
