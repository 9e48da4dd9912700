import { config } from '../../../config';
import { messageOf } from '../../../services/cloud';
import { getHomework, submitHomework, type HomeworkPage } from '../../../services/homework';
import { askAndReport } from '../../../services/reports';
import { choosePictures, uploadMine } from '../../../services/uploads';
import { formatDateTime } from '../../../utils/format';
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
  onSubmit(): Promise<void>;
  onReport(e: WechatMiniprogram.BaseEvent): void;
};

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
    submitting: false,
    featured: [],
  },

  onLoad(query: Record<string, string | undefined>) {
    this.setData({ assignmentId: query.assignmentId ?? '' });
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

  onPreview(e) {
    const { src } = e.currentTarget.dataset as { src: string };
    void wx.previewImage({ current: src, urls: (this.data.mine?.images ?? []).map((p) => p.url) });
  },

  async onSubmit() {
    if (this.data.submitting || !this.data.editable) return;
    const text = this.data.text.trim();
    if (!text && !this.data.pictures.length) {
      void wx.showToast({ title: '请填写作业内容或上传图片', icon: 'none' });
      return;
    }
    // Asked on the tap, before anything else: the learner hears when a teacher grades it.
    await wx.requestSubscribeMessage({ tmplIds: [config.subscribeTemplates.homeworkReviewed] }).catch(() => undefined);
    this.setData({ submitting: true });
    try {
      const local = this.data.pictures.filter((p) => !p.fileId);
      const uploaded = await uploadMine(
        'homework',
        local.map((p) => p.src),
      );
      const fileIds = this.data.pictures.map((p) => p.fileId ?? uploaded[local.indexOf(p)]!);
      const done = await submitHomework({ assignmentId: this.data.assignmentId, ...(text ? { text } : {}), ...(fileIds.length ? { imageFileIds: fileIds } : {}) });
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
