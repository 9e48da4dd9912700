import { audioPlayer, type AudioState } from '../../../../services/audio';
import type { Lesson } from '../../../../services/catalog';
import { downloadLesson, downloadOf, mayDownload } from '../../../../services/downloads';
import { formatClock } from '../../../../utils/format';

type DownloadState = 'none' | 'downloading' | 'done';

const DOWNLOAD_TEXT: Record<DownloadState, string> = { none: '下载到手机', downloading: '正在下载…', done: '已下载，可离线收听' };

/**
 * An audio lesson's player on the lesson page: the app's one audio player (services/audio.ts) plays it, in
 * the background too; this shows its state and lets an entitled learner keep a copy offline.
 */
Component({
  properties: {
    /** getLesson's answer for an audio lesson the learner may study */
    lesson: { type: Object, value: {} },
  },
  data: {
    playing: false,
    hint: '点击播放音频',
    notice: '',
    downloadState: 'none' as DownloadState,
    downloadText: '',
  },
  lifetimes: {
    attached() {
      const self = this as unknown as { unsubscribe?: () => void };
      self.unsubscribe = audioPlayer().subscribe((state) => this.show(state));
    },
    detached() {
      (this as unknown as { unsubscribe?: () => void }).unsubscribe?.();
    },
  },
  observers: {
    lesson(view: Lesson) {
      if (!view.lesson) return;
      this.showDownload(downloadOf(view.lesson.id) ? 'done' : 'none');
      this.show(audioPlayer().state);
    },
  },
  methods: {
    show(state: AudioState) {
      const view = this.data.lesson as Lesson;
      const mine = !!view.lesson && state.track?.lessonId === view.lesson.id;
      const playing = mine && state.playing;
      const hint = !mine ? '点击播放音频' : `${playing ? '正在播放' : '已暂停'} ${formatClock(state.positionSec)} / ${formatClock(view.lesson.durationSec)}`;
      this.setData({ playing, hint, notice: mine ? state.notice : '' });
    },
    showDownload(downloadState: DownloadState) {
      const view = this.data.lesson as Lesson;
      this.setData({ downloadState, downloadText: view.lesson && mayDownload(view) ? DOWNLOAD_TEXT[downloadState] : '' });
    },
    onToggle() {
      void audioPlayer().playLesson(this.data.lesson as Lesson);
    },
    async onDownload() {
      const view = this.data.lesson as Lesson;
      if (this.data.downloadState !== 'none' || !mayDownload(view)) return;
      this.showDownload('downloading');
      try {
        await downloadLesson(view, await audioPlayer().linesOf(view.lesson.courseId));
        this.showDownload('done');
        void wx.showToast({ title: '已下载，可在“我的 > 下载”收听', icon: 'none' });
      } catch (e) {
        this.showDownload('none');
        void wx.showToast({ title: e instanceof Error && /[\u4e00-\u9fa5]/.test(e.message) ? e.message : '下载失败，请稍后重试', icon: 'none' });
      }
    },
  },
});
