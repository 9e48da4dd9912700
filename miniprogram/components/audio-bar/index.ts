import { audioPlayer, type AudioState } from '../../services/audio';
import { formatClock } from '../../utils/format';

/**
 * The mini bar of what the app's audio player plays (services/audio.ts), on course pages and 我的课程:
 * play/pause, and a tap opens the lesson (a copy played offline opens 下载, which needs no network).
 */
Component({
  properties: {
    /** the page has a bar of its own at the bottom (course detail's buy bar): this one sits above it */
    lifted: { type: Boolean, value: false },
  },
  data: {
    shown: false,
    playing: false,
    title: '',
    meta: '',
    cover: '',
  },
  lifetimes: {
    attached() {
      (this as unknown as { unsubscribe?: () => void }).unsubscribe = audioPlayer().subscribe((state) => this.show(state));
    },
    detached() {
      (this as unknown as { unsubscribe?: () => void }).unsubscribe?.();
    },
  },
  methods: {
    show({ track, playing, positionSec }: AudioState) {
      if (!track) return this.setData({ shown: false });
      const meta = [track.courseTitle, `${formatClock(positionSec)} / ${formatClock(track.durationSec)}`].filter(Boolean).join(' · ');
      this.setData({ shown: true, playing, title: track.title, meta, cover: track.cover });
    },
    onToggle() {
      audioPlayer().toggle();
    },
    onOpen() {
      const track = audioPlayer().state.track;
      if (!track) return;
      const url = track.offline ? '/packages/learn/downloads/index' : `/packages/course/lesson/index?id=${track.lessonId}`;
      const pages = getCurrentPages();
      const current = pages[pages.length - 1];
      // Already on that lesson's page: nothing to open.
      if (current && `/${current.route}?id=${current.options.id ?? ''}` === url) return;
      void wx.navigateTo({ url });
    },
  },
});
