/**
 * The developer panel (DevTools on the local cloud only): who the mini program acts as, the emulator it
 * talks to, and where staff work (the console, with its demo accounts). Picking a learner relaunches the
 * app as them; without a local setup the page says the app is on WeChat's cloud.
 */
import { transport } from '../../../services/transport/index';
import { pickLearner, type LocalSetup } from '../../../services/transport/local-config';

type PanelData = {
  local: boolean;
  gateway: string;
  learners: Array<{ openid: string; name: string; current: boolean }>;
  console: LocalSetup['console'] | null;
};

type PanelMethods = {
  onPick(e: WechatMiniprogram.TouchEvent<Record<string, never>, Record<string, never>, { openid: string }>): void;
};

Page<PanelData, PanelMethods>({
  data: { local: false, gateway: '', learners: [], console: null },

  onLoad() {
    const setup = transport().local;
    if (!setup) return;
    this.setData({
      local: true,
      gateway: setup.gateway,
      learners: setup.learners.map((l) => ({ ...l, current: l.openid === setup.learner.openid })),
      console: setup.console ?? null,
    });
  },

  onPick(e) {
    const { openid } = e.currentTarget.dataset;
    if (openid === transport().local?.learner.openid) return;
    pickLearner(openid);
    // Every page and the transport start again as the learner picked.
    void wx.reLaunch({ url: '/pages/home/index' });
  },
});
