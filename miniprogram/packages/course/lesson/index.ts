import { getLesson, type Lesson } from '../../../services/catalog';
import { messageOf } from '../../../services/cloud';
import { formatDateTime, formatDuration } from '../../../utils/format';

const TYPE_LABELS: Record<Lesson['lesson']['type'], string> = { video: '视频', audio: '音频', article: '图文', live: '直播' };

const ACCESS_LABELS: Record<Lesson['access'], string> = {
  trial: '免费试看',
  free: '免费课程',
  purchased: '已购买',
  member: '会员畅学',
  locked: '',
};

type LessonData = {
  lessonId: string;
  status: 'loading' | 'ready' | 'error';
  errorMessage: string;
  lesson: Lesson['lesson'] | null;
  locked: boolean;
  accessLabel: string;
  metaText: string;
  mediaUrl: string;
  paragraphs: string[];
  liveText: string;
  playing: boolean;
};

type LessonMethods = {
  load(): Promise<void>;
  onRetry(): void;
  onBackToCourse(): void;
  onAudioToggle(): void;
};

type LessonFields = {
  /** created on the first play of an audio lesson */
  audio?: WechatMiniprogram.InnerAudioContext;
};

Page<LessonData, LessonMethods & LessonFields>({
  data: {
    lessonId: '',
    status: 'loading',
    errorMessage: '',
    lesson: null,
    locked: false,
    accessLabel: '',
    metaText: '',
    mediaUrl: '',
    paragraphs: [],
    liveText: '',
    playing: false,
  },

  onLoad(query: Record<string, string | undefined>) {
    this.setData({ lessonId: query.id ?? '' });
    void this.load();
  },

  onUnload() {
    this.audio?.destroy();
  },

  async load() {
    this.setData({ status: 'loading', errorMessage: '' });
    try {
      const { lesson, access, media, article, liveAt } = await getLesson(this.data.lessonId);
      this.setData({
        status: 'ready',
        lesson,
        locked: access === 'locked',
        accessLabel: ACCESS_LABELS[access],
        metaText: lesson.type === 'article' ? TYPE_LABELS.article : `${TYPE_LABELS[lesson.type]} · ${formatDuration(lesson.durationSec)}`,
        mediaUrl: media?.url ?? '',
        paragraphs: article ? article.split(/\n{2,}/) : [],
        liveText: liveAt ? `直播将于 ${formatDateTime(liveAt)} 开始` : '',
      });
      void wx.setNavigationBarTitle({ title: lesson.title });
    } catch (e) {
      this.setData({ status: 'error', errorMessage: messageOf(e) });
    }
  },

  onRetry() {
    void this.load();
  },

  onBackToCourse() {
    const courseId = this.data.lesson?.courseId ?? '';
    const pages = getCurrentPages();
    const previous = pages[pages.length - 2];
    if (previous?.route === 'packages/course/detail/index' && previous.options.id === courseId) void wx.navigateBack();
    else void wx.redirectTo({ url: `/packages/course/detail/index?id=${courseId}` });
  },

  onAudioToggle() {
    if (!this.audio) {
      this.audio = wx.createInnerAudioContext({ useWebAudioImplement: false });
      this.audio.src = this.data.mediaUrl;
      this.audio.onPlay(() => this.setData({ playing: true }));
      this.audio.onPause(() => this.setData({ playing: false }));
      this.audio.onEnded(() => this.setData({ playing: false }));
    }
    if (this.data.playing) this.audio.pause();
    else this.audio.play();
  },

  onShareAppMessage() {
    const { lesson } = this.data;
    return {
      title: lesson ? lesson.title : '一起来学习',
      path: `/packages/course/detail/index?id=${lesson?.courseId ?? ''}`,
    };
  },
});
