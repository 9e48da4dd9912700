import { config } from '../../../config';
import { audioPlayer } from '../../../services/audio';
import { getLesson, type Lesson } from '../../../services/catalog';
import { messageOf } from '../../../services/cloud';
import { recordPlayed, saveRecorded, type ProgressState } from '../../../services/learning';
import { formatDateTime, formatDuration } from '../../../utils/format';
import { PlayedRanges } from './played';

const TYPE_LABELS: Record<Lesson['lesson']['type'], string> = { video: '视频', audio: '音频', article: '图文', live: '直播' };

/** `VideoContext.playbackRate` takes these; 2.0 from base library 2.6.3. */
const RATES = [0.5, 0.8, 1, 1.25, 1.5];
const DOUBLE_SPEED_FROM = [2, 6, 3];

/** Whether a base library version (e.g. "3.4.1") is `least` or later. */
function versionAtLeast(version: string, least: number[]): boolean {
  const parts = version.split('.').map(Number);
  for (let i = 0; i < least.length; i++) {
    const part = parts[i] ?? 0;
    if (part !== least[i]) return part > least[i]!;
  }
  return true;
}

/** The speeds the learner's base library plays (an unknown version plays them all). */
function playbackRates(): number[] {
  const version = typeof wx.getAppBaseInfo === 'function' ? wx.getAppBaseInfo().SDKVersion : '';
  return !version || versionAtLeast(version, DOUBLE_SPEED_FROM) ? [...RATES, 2] : RATES;
}

const ACCESS_LABELS: Record<Lesson['access'], string> = {
  trial: '免费试看',
  free: '免费课程',
  purchased: '已购买',
  member: '会员畅学',
  locked: '',
  scheduled: '',
};

/** The quality the learner last picked, which the next video lessons open in. */
const QUALITY_KEY = 'lesson.mediaQuality';
const preferredQuality = (): string | undefined => (wx.getStorageSync(QUALITY_KEY) as string) || undefined;

/** ISO time -> "12月2日" (the learner's time zone). */
const monthDay = (iso: string) => `${new Date(iso).getMonth() + 1}月${new Date(iso).getDate()}日`;

type LessonData = {
  lessonId: string;
  status: 'loading' | 'ready' | 'error';
  errorMessage: string;
  lesson: Lesson['lesson'] | null;
  locked: boolean;
  accessLabel: string;
  metaText: string;
  mediaUrl: string;
  /** where the video starts: where the learner left off */
  startSec: number;
  /** paid media: the learner's nickname and number, moving over the video */
  watermark: string;
  /** the speeds this base library plays, and the one chosen */
  rates: number[];
  rate: number;
  paragraphs: string[];
  liveText: string;
  /** held, but the camp's schedule opens it later: when */
  scheduledText: string;
  /** the video's qualities (none when it has one), and the one playing */
  qualities: Array<{ id: string; label: string }>;
  quality: string;
  /** an editor-written article: whitelisted rich-text nodes from getLesson, and the creator's highlights */
  articleNodes: NonNullable<Lesson['articleNodes']>;
  highlights: string[];
  /** a live lesson on 视频号 (live-panel), and whether its replay plays above */
  live: Lesson['live'] | null;
  liveAt: string;
  hasReplay: boolean;
  /** an audio lesson the learner may study: the app's audio player plays it (audio-player) */
  audioLesson: Lesson | null;
  /** the lesson's homework, for a learner who may study it: the page links to it */
  assignmentPrompt: string;
};

type LessonMethods = {
  load(): Promise<void>;
  onRetry(): void;
  onBackToCourse(): void;
  onHomework(): void;
  onVideoTime(e: WechatMiniprogram.CustomEvent<{ currentTime: number }>): void;
  onVideoStop(): void;
  onVideoEnded(): void;
  onRate(e: WechatMiniprogram.TouchEvent<Record<string, never>, Record<string, never>, { rate: number }>): void;
  onQuality(e: WechatMiniprogram.TouchEvent<Record<string, never>, Record<string, never>, { quality: string }>): Promise<void>;
  onVideoPlay(): void;
  onVideoLoaded(): void;
  protectFromCapture(on: boolean): void;
  played(timeSec: number): void;
  stopped(): void;
  saveProgress(): Promise<void>;
};

type LessonFields = {
  /** what the learner played since the last save; absent when their progress is not kept (locked, not logged in) */
  ranges?: PlayedRanges;
  /** the state the last save (or getLesson) answered, sent back with the next save */
  progressState?: ProgressState;
  /** the lesson after this one, which the video goes on to when it ends */
  nextLessonId?: string;
  /** what tells the learner a recording shows the watermark; kept to stop listening on unload */
  recordingListener?: (res: { state: string }) => void;
  positionSec: number;
  /** the position last recorded for saving: a save with nothing new to say is not sent */
  recordedPositionSec: number;
  lastSaveAt: number;
  videoPlaying: boolean;
  /** after a quality switch: where the new source resumes, and whether it plays on */
  resume?: { atSec: number; play: boolean };
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
    startSec: 0,
    watermark: '',
    rates: playbackRates(),
    rate: 1,
    paragraphs: [],
    liveText: '',
    scheduledText: '',
    qualities: [],
    quality: '',
    articleNodes: [],
    highlights: [],
    live: null,
    liveAt: '',
    hasReplay: false,
    audioLesson: null,
    assignmentPrompt: '',
  },

  onLoad(query: Record<string, string | undefined>) {
    this.setData({ lessonId: query.id ?? '' });
    void this.load();
  },

  positionSec: 0,
  recordedPositionSec: 0,
  lastSaveAt: 0,
  videoPlaying: false,

  onHide() {
    void this.saveProgress();
  },

  onUnload() {
    this.ranges?.stop();
    void this.saveProgress();
    this.protectFromCapture(false);
  },

  async load() {
    this.setData({ status: 'loading', errorMessage: '' });
    try {
      const view = await getLesson(this.data.lessonId, preferredQuality());
      const { lesson, access, media, article, liveAt, progress, watermark, nextLessonId } = view;
      // A live lesson's replay plays as a recorded video.
      const video = lesson.type === 'video' || (lesson.type === 'live' && !!media);
      this.nextLessonId = nextLessonId;
      if (watermark) this.protectFromCapture(true);
      // Audio: the app's audio player keeps the progress, also after the learner leaves this page.
      if (access !== 'locked' && access !== 'scheduled' && video) {
        this.ranges = new PlayedRanges();
        this.progressState = progress?.state;
        this.positionSec = progress?.positionSec ?? 0;
        this.recordedPositionSec = this.positionSec;
        this.lastSaveAt = Date.now();
      }
      this.setData({
        status: 'ready',
        lesson,
        locked: access === 'locked',
        accessLabel: ACCESS_LABELS[access],
        metaText: lesson.type === 'article' ? TYPE_LABELS.article : `${TYPE_LABELS[lesson.type]} · ${formatDuration(lesson.durationSec)}`,
        mediaUrl: media?.url ?? '',
        startSec: progress?.positionSec ?? 0,
        watermark: watermark ?? '',
        paragraphs: article ? article.split(/\n{2,}/) : [],
        liveText: liveAt && !view.live ? `直播将于 ${formatDateTime(liveAt)} 开始` : '',
        scheduledText: access === 'scheduled' && view.opensAt ? `${monthDay(view.opensAt)} ${formatDateTime(view.opensAt).split(' ')[1]} 开放` : '',
        qualities: view.qualities ?? [],
        quality: media?.quality ?? '',
        articleNodes: view.articleNodes ?? [],
        highlights: view.highlights ?? [],
        live: view.live ?? null,
        liveAt: liveAt ?? '',
        hasReplay: lesson.type === 'live' && !!media,
        audioLesson: access !== 'locked' && lesson.type === 'audio' && media ? view : null,
        assignmentPrompt: view.assignment?.prompt ?? '',
        ...(lesson.type === 'audio' ? { rate: audioPlayer().state.rate } : {}),
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

  onHomework() {
    void wx.navigateTo({ url: `/packages/learn/homework/index?assignmentId=${this.data.lessonId}` });
  },

  onVideoTime(e) {
    this.played(e.detail.currentTime);
  },

  onVideoStop() {
    this.videoPlaying = false;
    this.stopped();
  },

  onVideoPlay() {
    this.videoPlaying = true;
  },

  /** A new source (another quality, a renewed URL) is ready: back to the same second, playing on if it was. */
  onVideoLoaded() {
    const resume = this.resume;
    if (!resume) return;
    this.resume = undefined;
    const video = wx.createVideoContext('lesson-video', this);
    video.seek(resume.atSec);
    if (resume.play) video.play();
  },

  /** Another quality: its URL (access checked again), swapped in where the learner is. */
  async onQuality(e) {
    const quality = String(e.currentTarget.dataset.quality);
    if (quality === this.data.quality) return;
    const resume = { atSec: this.positionSec, play: this.videoPlaying };
    try {
      const view = await getLesson(this.data.lessonId, quality);
      if (!view.media) throw new Error('no media');
      wx.setStorageSync(QUALITY_KEY, quality);
      if (view.progress) this.progressState = view.progress.state;
      this.ranges?.stop();
      this.resume = resume;
      this.setData({ mediaUrl: view.media.url, quality: view.media.quality ?? quality, startSec: resume.atSec });
    } catch (err) {
      void wx.showToast({ title: messageOf(err, '切换清晰度失败，请稍后重试'), icon: 'none' });
    }
  },

  /** The video ended: what was played is saved, and the next lesson of the course follows. */
  onVideoEnded() {
    this.videoPlaying = false;
    this.stopped();
    if (this.nextLessonId) void wx.redirectTo({ url: `/packages/course/lesson/index?id=${this.nextLessonId}` });
  },

  onRate(e) {
    const rate = Number(e.currentTarget.dataset.rate);
    this.setData({ rate });
    if (this.data.lesson?.type === 'audio') audioPlayer().setRate(rate);
    else wx.createVideoContext('lesson-video', this).playbackRate(rate);
  },

  /**
   * Paid media: screenshots and recordings show the page without it where the base library can
   * (setVisualEffectOnCapture), and a recording started meanwhile is told the watermark shows who recorded.
   */
  protectFromCapture(on) {
    if (typeof wx.setVisualEffectOnCapture === 'function') void wx.setVisualEffectOnCapture({ visualEffect: on ? 'hidden' : 'none' });
    if (typeof wx.onScreenRecordingStateChanged !== 'function') return;
    if (on && !this.recordingListener) {
      this.recordingListener = ({ state }) => {
        if (state === 'start') void wx.showToast({ title: '课程内容受版权保护，录屏将显示你的学员信息', icon: 'none' });
      };
      wx.onScreenRecordingStateChanged(this.recordingListener);
    } else if (!on && this.recordingListener) {
      wx.offScreenRecordingStateChanged(this.recordingListener);
      this.recordingListener = undefined;
    }
  },

  /** The player is playing at `timeSec`: a range grows, and every few minutes what was played is saved. */
  played(timeSec) {
    if (!this.ranges) return;
    this.ranges.at(timeSec);
    this.positionSec = timeSec;
    if (Date.now() - this.lastSaveAt >= config.progressSaveIntervalSec * 1000) void this.saveProgress();
  },

  /** Paused or ended: what was played is saved now. */
  stopped() {
    if (!this.ranges) return;
    this.ranges.stop();
    void this.saveProgress();
  },

  /**
   * Records what was played (local storage first, so nothing is lost if the page dies) and saves it; a save
   * that checked access again brings the media's next URL, which replaces the current one where the learner is.
   */
  async saveProgress() {
    if (!this.ranges) return;
    this.lastSaveAt = Date.now();
    const ranges = this.ranges.take();
    if (!ranges.length && this.positionSec === this.recordedPositionSec) return;
    recordPlayed(this.data.lessonId, ranges, this.positionSec, this.progressState);
    this.recordedPositionSec = this.positionSec;
    try {
      const saved = await saveRecorded(this.data.lessonId, this.data.quality || undefined);
      if (!saved) return;
      this.progressState = saved.state;
      if (saved.media) {
        this.resume = { atSec: this.positionSec, play: this.videoPlaying };
        this.setData({ mediaUrl: saved.media.url, startSec: this.positionSec });
      }
    } catch {
      // Kept in local storage: the next save, or the next launch, sends it.
    }
  },

  onShareAppMessage() {
    const { lesson } = this.data;
    return {
      title: lesson ? lesson.title : '一起来学习',
      path: `/packages/course/detail/index?id=${lesson?.courseId ?? ''}`,
    };
  },
});
