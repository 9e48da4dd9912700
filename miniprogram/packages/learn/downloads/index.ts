import { audioPlayer } from '../../../services/audio';
import { downloadOf, listDownloads, pruneDownloads, removeDownload, type Download } from '../../../services/downloads';
import { formatBytes } from '../../../utils/format';

type DownloadItem = Download & { sizeText: string };

type DownloadsData = {
  items: DownloadItem[];
  totalText: string;
  /** the server is asked which downloads may stay */
  checking: boolean;
  /** the lesson the audio player plays, highlighted */
  playingId: string;
};

type DownloadsMethods = {
  refresh(): void;
  check(): Promise<void>;
  onPlay(e: WechatMiniprogram.TouchEvent<Record<string, never>, Record<string, never>, { id: string }>): void;
  onDelete(e: WechatMiniprogram.TouchEvent<Record<string, never>, Record<string, never>, { id: string }>): Promise<void>;
};

type DownloadsFields = { unsubscribe?: () => void };

/** 我的 > 下载: the audio lessons kept on the phone, played without network, deleted here or when access ends. */
Page<DownloadsData, DownloadsMethods & DownloadsFields>({
  data: {
    items: [],
    totalText: '',
    checking: false,
    playingId: '',
  },

  onLoad() {
    this.unsubscribe = audioPlayer().subscribe((state) => {
      const playingId = state.track?.lessonId ?? '';
      if (playingId !== this.data.playingId) this.setData({ playingId });
    });
  },

  onShow() {
    this.refresh();
    void this.check();
  },

  onUnload() {
    this.unsubscribe?.();
  },

  refresh() {
    const items = listDownloads().map((d) => ({ ...d, sizeText: formatBytes(d.size) }));
    this.setData({ items, totalText: formatBytes(items.reduce((sum, d) => sum + d.size, 0)) });
  },

  /** Downloads whose access ended are deleted (offline, they stay until the next check). */
  async check() {
    if (!this.data.items.length) return;
    this.setData({ checking: true });
    const gone = await pruneDownloads();
    this.setData({ checking: false });
    if (!gone.length) return;
    this.refresh();
    void wx.showToast({ title: `${gone.length} 个下载的课程已无法学习，已删除`, icon: 'none' });
  },

  onPlay(e) {
    const download = downloadOf(e.currentTarget.dataset.id);
    if (download) audioPlayer().playDownload(download);
  },

  async onDelete(e) {
    const id = e.currentTarget.dataset.id;
    const item = this.data.items.find((d) => d.lessonId === id);
    if (!item) return;
    const { confirm } = await wx.showModal({ title: '删除下载', content: `删除“${item.title}”？删除后需联网收听。`, confirmText: '删除' });
    if (!confirm) return;
    if (audioPlayer().state.track?.lessonId === id && audioPlayer().state.track?.offline) audioPlayer().pause();
    await removeDownload(id);
    this.refresh();
  },
});
