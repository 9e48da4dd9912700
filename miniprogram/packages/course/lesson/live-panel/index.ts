import { channelLiveInfo, openChannelLive, type ChannelLiveInfo } from '../../../../services/channels';
import { messageOf } from '../../../../services/cloud';
import { askForReminders } from '../../../../services/reminders';
import { formatDateTime } from '../../../../utils/format';

/** How the live looks to the learner: before its time, on air, not on air yet at its time, over. */
type Phase = 'upcoming' | 'living' | 'waiting' | 'ended';

const PHASE_TEXT: Record<Exclude<Phase, 'upcoming'>, string> = {
  living: '直播中',
  waiting: '主播即将开播，请稍候',
  ended: '直播已结束',
};

const pad = (n: number) => String(n).padStart(2, '0');

/** 93784 s -> "1 天 02:03:04"; under a day "02:03:04". */
function countdownText(ms: number): string {
  const s = Math.max(0, Math.ceil(ms / 1000));
  const days = Math.floor(s / 86_400);
  const clock = `${pad(Math.floor((s % 86_400) / 3600))}:${pad(Math.floor((s % 3600) / 60))}:${pad(s % 60)}`;
  return days ? `${days} 天 ${clock}` : clock;
}

type Live = { finderUserName: string; feedId?: string; endsAt: string };

/** Each panel's countdown timer, stopped when it leaves the page. */
const timers = new WeakMap<object, ReturnType<typeof setTimeout>>();
const stopTimer = (panel: object) => {
  const timer = timers.get(panel);
  if (timer !== undefined) clearTimeout(timer);
  timers.delete(panel);
};

/**
 * A live lesson streamed on 视频号: a countdown and 提醒我 before its time; at its time the live's state
 * (from `wx.getChannelsLiveInfo`) and 进入直播间, which opens it with `wx.openChannelsLive`. A lesson whose
 * replay plays above says so once the live is over.
 */
Component({
  properties: {
    live: { type: Object, value: null as unknown as Live },
    liveAt: { type: String, value: '' },
    /** the page plays the replay */
    hasReplay: { type: Boolean, value: false },
    /** the course the reminder is for */
    courseId: { type: String, value: '' },
  },
  data: {
    phase: 'upcoming' as Phase,
    startText: '',
    countdown: '',
    stateText: '',
    reminded: false,
    checking: false,
  },
  lifetimes: {
    detached() {
      stopTimer(this);
    },
  },
  observers: {
    'live, liveAt'(live: Live | null, liveAt: string) {
      if (!live || !liveAt) return;
      this.setData({ startText: `${formatDateTime(liveAt)} 开播` });
      this.tick();
    },
  },
  methods: {
    /** Once a second before the live; at its time, asks WeChat once how the live is. */
    tick() {
      stopTimer(this);
      const left = new Date(this.data.liveAt).getTime() - Date.now();
      if (left > 0) {
        this.setData({ phase: 'upcoming', countdown: countdownText(left) });
        timers.set(this, setTimeout(() => this.tick(), Math.min(1000, left)));
        return;
      }
      void this.refresh();
    },

    /** This lesson's live as WeChat sees the channel: its own live (or the channel's, before its feedId is known). */
    phaseOf(info: ChannelLiveInfo | undefined): Exclude<Phase, 'upcoming'> {
      const live = this.data.live;
      const ours = !live.feedId || info?.feedId === live.feedId;
      if (info?.status === 2 && ours) return 'living';
      if ((info?.status === 3 && live.feedId && ours) || Date.now() > new Date(live.endsAt).getTime()) return 'ended';
      return 'waiting';
    },

    async refresh(): Promise<ChannelLiveInfo | undefined> {
      this.setData({ checking: true });
      let info: ChannelLiveInfo | undefined;
      try {
        info = await channelLiveInfo(this.data.live.finderUserName);
      } catch {
        // An old WeChat, or the channel unavailable: the time decides what the page says.
      }
      const phase = this.phaseOf(info);
      const stateText = phase === 'ended' ? (this.data.hasReplay ? '直播已结束，可观看上方回放' : '直播已结束，回放整理中') : PHASE_TEXT[phase];
      this.setData({ phase, stateText, checking: false });
      return info;
    },

    /** 提醒我: WeChat asks the learner to accept the live-reminder message (from this tap, as WeChat requires). */
    async onRemind() {
      try {
        if ((await askForReminders(this.data.courseId)) === 'declined') {
          void wx.showToast({ title: '未开启提醒，可在设置中打开订阅消息', icon: 'none' });
          return;
        }
      } catch (e) {
        void wx.showToast({ title: messageOf(e, '未能开启提醒，请稍后再试'), icon: 'none' });
        return;
      }
      this.setData({ reminded: true });
      void wx.showToast({ title: '开播前会提醒你', icon: 'none' });
    },

    /** 进入直播间: the live as it is now (asked again: it may have just started), opened in 视频号. */
    async onEnter() {
      const info = await this.refresh();
      if (this.data.phase !== 'living' || !info) {
        void wx.showToast({ title: this.data.phase === 'ended' ? '直播已结束' : '主播还未开播，请稍后再试', icon: 'none' });
        return;
      }
      try {
        await openChannelLive(this.data.live.finderUserName, info);
      } catch {
        void wx.showToast({ title: '无法打开直播，请在微信视频号中观看', icon: 'none' });
      }
    },
  },
});
