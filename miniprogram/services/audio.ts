/**
 * The one audio player of the mini program: it owns WeChat's background audio manager, which plays on when
 * the learner leaves the page, locks the phone or switches apps (`requiredBackgroundModes: ["audio"]`).
 * Pages and the mini bar subscribe to its state; none of them holds the player.
 *
 * It keeps the learner's progress as the lesson page does for video (played ranges, local storage first,
 * then saveProgress: services/learning.ts), from the manager's events, so what plays without any page is
 * credited too; and when a lesson ends it goes on to the course's next audio lesson (getLesson: stopping at
 * one the learner may not study).
 *
 * Media URLs live 10 minutes, and a save every few minutes hands out the next one. The manager cannot take
 * a new `src` without starting the track again (a gap and a jump the learner hears), so the fresh URL is
 * kept and used at the next start: a resume after a pause, or a failure of the old URL mid-play, which
 * starts again where the learner was.
 */
import { config } from '../config';
import { getCourse, getLesson, type Lesson } from './catalog';
import { downloadOf, type AudioLesson, type CourseLines, type Download } from './downloads';
import { recordPlayed, saveRecorded, type ProgressState } from './learning';
import { formatDateTime } from '../utils/format';
import { PlayedRanges } from '../utils/played';

/** What plays: the lesson, and the lines the lock screen shows. */
export interface Track extends AudioLesson {
  /** played from the copy on the phone */
  offline: boolean;
}

export interface AudioState {
  track: Track | null;
  playing: boolean;
  /** where the track is, whole seconds */
  positionSec: number;
  rate: number;
  /** why playing stopped, for the learner */
  notice: string;
}

/** A course as the player needs it: the lock screen's lines and its audio lessons in outline order. */
interface CourseAbout {
  courseTitle: string;
  lecturer: string;
  cover: string;
  audioLessonIds: string[];
}

/** A lesson this close to its end starts again from the beginning rather than end at once. */
const RESTART_WITHIN_SEC = 5;

type Manager = WechatMiniprogram.BackgroundAudioManager;

export class AudioPlayer {
  private readonly manager: Manager = wx.getBackgroundAudioManager();
  private readonly listeners = new Set<(state: AudioState) => void>();
  state: AudioState = { track: null, playing: false, positionSec: 0, rate: 1, notice: '' };
  private courses = new Map<string, Promise<CourseAbout>>();
  /** the manager has the track loaded (not stopped, ended or failed): play() resumes it */
  private loaded = false;
  private src = '';
  /** a fresh URL of the current track from a save, for its next start */
  private renewedSrc = '';
  /** what was played since the last save; absent when the learner's progress is not kept */
  private ranges?: PlayedRanges;
  private progressState?: ProgressState;
  private positionSec = 0;
  private recordedPositionSec = 0;
  private lastSaveAt = 0;

  constructor() {
    const m = this.manager;
    m.onPlay(() => {
      this.loaded = true;
      // A range starts where playing starts, not at the first timeupdate.
      this.ranges?.at(m.currentTime);
      this.update({ playing: true, notice: '' });
    });
    m.onPause(() => {
      this.update({ playing: false });
      this.stopped();
    });
    m.onStop(() => {
      // The learner closed the player (the notification's close button): nothing plays any more.
      this.loaded = false;
      this.stopped();
      this.update({ track: null, playing: false });
    });
    m.onEnded(() => {
      this.loaded = false;
      this.positionSec = this.state.track?.durationSec ?? this.positionSec;
      this.stopped();
      this.update({ playing: false });
      void this.next();
    });
    m.onTimeUpdate(() => this.played(m.currentTime));
    m.onError(() => this.failed());
    m.onNext(() => void this.next());
    // Ranges played since the last save go to local storage when WeChat may close the mini program.
    if (typeof wx.onAppHide === 'function') wx.onAppHide(() => void this.save());
  }

  /** Calls `listener` with the state now and on every change; answers the unsubscribe. */
  subscribe(listener: (state: AudioState) => void): () => void {
    this.listeners.add(listener);
    listener(this.state);
    return () => this.listeners.delete(listener);
  }

  private update(patch: Partial<AudioState>) {
    this.state = { ...this.state, ...patch };
    for (const listener of this.listeners) listener(this.state);
  }

  /** The course's lock screen lines and audio lessons, read once per course. */
  private about(courseId: string): Promise<CourseAbout> {
    let about = this.courses.get(courseId);
    if (!about) {
      about = getCourse(courseId).then(({ course }) => ({
        courseTitle: course.title,
        lecturer: course.lecturer.name,
        cover: course.cover,
        audioLessonIds: course.outline.flatMap((chapter) => chapter.lessons.filter((l) => l.type === 'audio').map((l) => l.id)),
      }));
      about.catch(() => this.courses.delete(courseId));
      this.courses.set(courseId, about);
    }
    return about;
  }

  /** The lock screen lines of a course, for a download's manifest. */
  async linesOf(courseId: string): Promise<CourseLines> {
    const { courseTitle, lecturer, cover } = await this.about(courseId);
    return { courseTitle, lecturer, cover };
  }

  /**
   * Plays a lesson the learner opened (getLesson's answer), from where they left off; its copy on the phone
   * when there is one. The lesson already playing is resumed (or paused: the same button).
   */
  async playLesson(view: Lesson): Promise<void> {
    if (this.state.track?.lessonId === view.lesson.id) return this.toggle();
    const local = downloadOf(view.lesson.id);
    const src = local?.path ?? view.media?.url;
    if (!src) return;
    let about: CourseAbout;
    try {
      about = await this.about(view.lesson.courseId);
    } catch {
      // The lock screen shows the lesson alone rather than nothing playing.
      about = { courseTitle: '', lecturer: '', cover: '', audioLessonIds: [] };
    }
    const { id, courseId, title, durationSec } = view.lesson;
    const saved = view.progress?.positionSec ?? 0;
    this.start(
      { lessonId: id, courseId, title, courseTitle: about.courseTitle, lecturer: about.lecturer, cover: about.cover, durationSec, offline: !!local },
      src,
      saved >= durationSec - RESTART_WITHIN_SEC ? 0 : saved,
      view.progress ? { state: view.progress.state } : undefined,
    );
  }

  /** Plays a lesson's copy on the phone (下载), without the network; its progress is saved when it can be. */
  playDownload(download: Download): void {
    if (this.state.track?.lessonId === download.lessonId) return this.toggle();
    const { lessonId, courseId, title, courseTitle, lecturer, cover, durationSec } = download;
    this.start({ lessonId, courseId, title, courseTitle, lecturer, cover, durationSec, offline: true }, download.path, 0, {});
  }

  /** `progress`: keep the learner's progress (with the state getLesson answered, if any); none for a guest. */
  private start(track: Track, src: string, startSec: number, progress: { state?: ProgressState } | undefined) {
    // What the previous track played is recorded before the ranges are replaced.
    this.ranges?.stop();
    void this.save();
    this.ranges = progress ? new PlayedRanges() : undefined;
    this.progressState = progress?.state;
    this.positionSec = startSec;
    this.recordedPositionSec = startSec;
    this.lastSaveAt = Date.now();
    this.renewedSrc = '';
    this.update({ track, playing: false, positionSec: Math.floor(startSec), notice: '' });
    this.load(src, startSec);
  }

  /** Hands the manager a source: title first (WeChat plays nothing without it), then src, which starts it. */
  private load(src: string, startSec: number) {
    const track = this.state.track!;
    const m = this.manager;
    this.src = src;
    this.loaded = false;
    m.title = track.title;
    m.epname = track.courseTitle;
    m.singer = track.lecturer;
    m.coverImgUrl = track.cover;
    m.playbackRate = this.state.rate;
    m.startTime = startSec;
    m.src = src;
  }

  toggle(): void {
    if (this.state.playing) this.manager.pause();
    else this.resume();
  }

  /** Plays on: the loaded track resumes, unless a fresh URL is waiting, which starts where the learner was. */
  resume(): void {
    if (!this.state.track) return;
    if (this.loaded && !this.renewedSrc) return this.manager.play();
    this.restart();
  }

  private restart() {
    const src = this.renewedSrc || this.src;
    this.renewedSrc = '';
    const track = this.state.track!;
    // A track played to its end starts again from the beginning.
    this.load(src, this.positionSec >= track.durationSec - RESTART_WITHIN_SEC ? 0 : this.positionSec);
  }

  pause(): void {
    if (this.state.playing) this.manager.pause();
  }

  /** The speed; on iOS the manager applies it after the next pause and play (a known quirk). */
  setRate(rate: number): void {
    this.update({ rate });
    this.manager.playbackRate = rate;
  }

  /** The manager failed: a URL that expired mid-play starts again from the fresh one, else the learner is told. */
  private failed() {
    this.loaded = false;
    this.ranges?.stop();
    if (this.renewedSrc && this.state.track && !this.state.track.offline) return this.restart();
    this.update({ playing: false, notice: '音频播放失败，请检查网络后重试' });
    void this.save();
  }

  /** The lesson ended: the course's next audio lesson follows, unless the learner may not study it. */
  private async next(): Promise<void> {
    const track = this.state.track;
    if (!track) return;
    let ids: string[];
    try {
      ids = (await this.about(track.courseId)).audioLessonIds;
    } catch {
      return;
    }
    const nextId = ids[ids.indexOf(track.lessonId) + 1];
    if (!nextId || ids.indexOf(track.lessonId) < 0) return this.update({ notice: '本课程的音频已全部播完' });
    let view: Lesson;
    try {
      view = await getLesson(nextId);
    } catch {
      // Offline: the next lesson's copy on the phone, if there is one.
      const local = downloadOf(nextId);
      if (local) this.playDownload(local);
      return;
    }
    if (view.access === 'scheduled' && view.opensAt) return this.update({ notice: `下一课将于 ${formatDateTime(view.opensAt)} 开放` });
    if (view.access === 'locked' || !view.media) return this.update({ notice: '下一课需购买课程后收听' });
    await this.playLesson(view);
  }

  /** The manager plays at `timeSec`: a range grows, and every few minutes what was played is saved. */
  private played(timeSec: number) {
    this.positionSec = timeSec;
    if (Math.floor(timeSec) !== this.state.positionSec) this.update({ positionSec: Math.floor(timeSec) });
    if (!this.ranges) return;
    this.ranges.at(timeSec);
    if (Date.now() - this.lastSaveAt >= config.progressSaveIntervalSec * 1000) void this.save();
  }

  private stopped() {
    if (!this.ranges) return;
    this.ranges.stop();
    void this.save();
  }

  /**
   * Records what was played (local storage first: nothing is lost if WeChat closes the mini program or the
   * network fails) and saves it; a save that checked access again brings the next media URL.
   */
  private async save(): Promise<void> {
    const track = this.state.track;
    if (!this.ranges || !track) return;
    this.lastSaveAt = Date.now();
    const ranges = this.ranges.take();
    if (!ranges.length && this.positionSec === this.recordedPositionSec) return;
    recordPlayed(track.lessonId, ranges, this.positionSec, this.progressState);
    this.recordedPositionSec = this.positionSec;
    try {
      const saved = await saveRecorded(track.lessonId);
      if (!saved || this.state.track?.lessonId !== track.lessonId) return;
      this.progressState = saved.state;
      if (saved.media && !track.offline) this.renewedSrc = saved.media.url;
    } catch {
      // Kept in local storage: the next save, or the next launch, sends it.
    }
  }
}

/**
 * The app's player. It is kept on the App object, which lives as long as the mini program while pages come
 * and go, so every page (and the mini bar) talks to the same one.
 */
export function audioPlayer(): AudioPlayer {
  const app = getApp<{ audioPlayer?: AudioPlayer }>();
  if (!app.audioPlayer) app.audioPlayer = new AudioPlayer();
  return app.audioPlayer;
}
