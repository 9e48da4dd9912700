import { config } from '../../../config';
import { messageOf } from '../../../services/cloud';
import { getHomework, submitHomework, type HomeworkPage } from '../../../services/homework';
import { askAndReport } from '../../../services/reports';
import { transport } from '../../../services/transport/index';
import { choosePictures, uploadMine } from '../../../services/uploads';
import { formatClock, formatDateTime } from '../../../utils/format';
import { STATUS_LABELS } from './status';

type Mine = NonNullable<HomeworkPage['mine']>;

type HomeworkData = {
  assignmentId: string;
  status: 'loading' | 'ready' | 'error';
  errorMessage: string;
  assignment: HomeworkPage['assignment'] | null;
  dueText: string;
  acceptsText: string;
  mine: (Mine & { statusText: string; statusTheme: string; submittedText: string }) | null;
  /** the learner may hand it in (again) now */
  editable: boolean;
  text: string;
  /** pictures of the draft: already uploaded ones (from the last hand-in) and new local ones */
  pictures: Array<{ key: string; src: string; fileId?: string }>;
  /** the draft's recording: handed in already (`fileId`) or just recorded on the phone */
  audio: { src: string; fileId?: string; label: string } | null;
  recording: boolean;
  submitting: boolean;
  featured: HomeworkPage['featured'];
};

type HomeworkMethods = {
  load(): Promise<void>;
  onRetry(): void;
  onText(e: WechatMiniprogram.CustomEvent<{ value: string }>): void;
  onAddPictures(): Promise<void>;
  onRemovePicture(e: WechatMiniprogram.BaseEvent): void;
  onPreview(e: WechatMiniprogram.BaseEvent): void;
  onRecord(): void;
  onRemoveAudio(): void;
  onSubmit(): Promise<void>;
  onReport(e: WechatMiniprogram.BaseEvent): void;
};

/** WeChat's recorder stops by itself after 10 minutes, its longest. */
const MAX_RECORDING_MS = 600_000;

function acceptsOf({ accepts }: HomeworkPage['assignment']): string {
  return [accepts.text ? '文字' : '', accepts.images ? `最多 ${accepts.images} 张图片` : '', accepts.audio ? '音频' : ''].filter(Boolean).join('、');
}

function show(page: HomeworkPage): Partial<HomeworkData> {
  const { mine } = page;
  const editable = !page.assignment.closed && mine?.status !== 'reviewed';
  return {
    assignment: page.assignment,
    dueText: page.assignment.dueAt ? `${formatDateTime(page.assignment.dueAt)} 截止` : '不限时间',
    acceptsText: acceptsOf(page.assignment),
    mine: mine ? { ...mine, statusText: STATUS_LABELS[mine.status].text, statusTheme: STATUS_LABELS[mine.status].theme, submittedText: formatDateTime(mine.submittedAt) } : null,
    editable,
    text: mine?.text ?? '',
    pictures: (mine?.images ?? []).map((p) => ({ key: p.fileId, src: p.url, fileId: p.fileId })),
    audio: mine?.audio ? { src: mine.audio.url, fileId: mine.audio.fileId, label: '已提交的录音' } : null,
    featured: page.featured,
  };
}

Page<HomeworkData, HomeworkMethods>({
  data: {
    assignmentId: '',
    status: 'loading',
    errorMessage: '',
    assignment: null,
    dueText: '',
    acceptsText: '',
    mine: null,
    editable: false,
    text: '',
    pictures: [],
    audio: null,
    recording: false,
    submitting: false,
    featured: [],
  },

  onLoad(query: Record<string, string | undefined>) {
    this.setData({ assignmentId: query.assignmentId ?? '' });
    const recorder = wx.getRecorderManager();
    recorder.onStart(() => this.setData({ recording: true }));
    recorder.onStop(({ tempFilePath, duration }) => this.setData({ recording: false, audio: { src: tempFilePath, label: `录音 ${formatClock(duration / 1000)}` } }));
    recorder.onError(() => {
      this.setData({ recording: false });
      void wx.showToast({ title: '录音失败，请允许使用麦克风后重试', icon: 'none' });
    });
    void this.load();
  },

  async load() {
    this.setData({ status: 'loading', errorMessage: '' });
    try {
      this.setData({ status: 'ready', ...show(await getHomework(this.data.assignmentId)) });
    } catch (e) {
      this.setData({ status: 'error', errorMessage: messageOf(e) });
    }
  },

  onRetry() {
    void this.load();
  },

  onText(e) {
    this.setData({ text: e.detail.value });
  },

  async onAddPictures() {
    const room = (this.data.assignment?.accepts.images ?? 0) - this.data.pictures.length;
    const paths = await choosePictures(room);
    this.setData({ pictures: [...this.data.pictures, ...paths.map((src) => ({ key: src, src }))] });
  },

  onRemovePicture(e) {
    const { key } = e.currentTarget.dataset as { key: string };
    this.setData({ pictures: this.data.pictures.filter((p) => p.key !== key) });
  },

  onRecord() {
    const recorder = wx.getRecorderManager();
    if (this.data.recording) recorder.stop();
    else recorder.start({ duration: MAX_RECORDING_MS, format: 'mp3' });
  },

  onRemoveAudio() {
    this.setData({ audio: null });
  },

  onPreview(e) {
    const { src } = e.currentTarget.dataset as { src: string };
    void wx.previewImage({ current: src, urls: (this.data.mine?.images ?? []).map((p) => p.url) });
  },

  async onSubmit() {
    if (this.data.submitting || !this.data.editable) return;
    const text = this.data.text.trim();
    const { audio } = this.data;
    if (!text && !this.data.pictures.length && !audio) {
      void wx.showToast({ title: '请填写作业内容，或上传图片、录音', icon: 'none' });
      return;
    }
    // Asked on the tap, before anything else: the learner hears when a teacher grades it.
    await transport()
      .requestSubscribeMessage([config.subscribeTemplates.homeworkReviewed])
      .catch(() => undefined);
    this.setData({ submitting: true });
    try {
      const local = this.data.pictures.filter((p) => !p.fileId);
      const recorded = audio && !audio.fileId ? [audio.src] : [];
      const uploaded = await uploadMine('homework', [...local.map((p) => p.src), ...recorded]);
      const fileIds = this.data.pictures.map((p) => p.fileId ?? uploaded[local.indexOf(p)]!);
      const audioFileId = audio ? (audio.fileId ?? uploaded[local.length]!) : undefined;
      const done = await submitHomework({
        assignmentId: this.data.assignmentId,
        ...(text ? { text } : {}),
        ...(fileIds.length ? { imageFileIds: fileIds } : {}),
        ...(audioFileId ? { audioFileId } : {}),
      });
      void wx.showToast({ title: done.homework.status === 'submitted' ? '已提交，等待老师批改' : '已提交，内容审核后交给老师', icon: 'none' });
      await this.load();
    } catch (e) {
      void wx.showToast({ title: messageOf(e, '提交失败，请稍后重试'), icon: 'none' });
    } finally {
      this.setData({ submitting: false });
    }
  },

  onReport(e) {
    const { id } = e.currentTarget.dataset as { id: string };
    void askAndReport('homework', id);
  },
});
