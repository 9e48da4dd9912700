/**
 * `wx.getBackgroundAudioManager()` for the mini-program harness: one player per launched app, as WeChat
 * keeps one for the whole mini program, whatever page is on screen (it outlives the page that started it,
 * and plays on while the app is in the background, with `requiredBackgroundModes: ["audio"]`).
 *
 * It behaves as WeChat's does, as far as the product relies on it:
 * - setting `src` starts playing at `startTime` (WeChat refuses to play without `title`: here that throws,
 *   a bug of the app); `play()` resumes, `pause()`, `seek()`, `stop()` (which ends the track: `play()` does
 *   nothing until `src` is set again);
 * - one listener per event (`onPlay` again replaces it; the manager has no `off*`), delivered
 *   asynchronously: onCanplay, onPlay, onPause, onStop, onEnded, onTimeUpdate, onError, onNext, onPrev,
 *   onSeeked;
 * - an http(s) source is requested before it plays: offline or a refused URL (an expired temp URL: 403)
 *   ends in `onError` (10002 network, 10003 file), a local path (`wxfile://usr/...`) must exist;
 * - `currentTime` moves only when the test lets time pass (`advance`), at `playbackRate`, with a
 *   `timeupdate` every quarter second of media time.
 * The lock screen's controls are the test's: `pauseFromSystem`, `playFromSystem`, `stopFromSystem`, `next`.
 */
import { request } from 'node:http';

export interface AudioSession {
  readonly online: boolean;
  track<T>(work: Promise<T>): Promise<T>;
}

const EVENTS = ['Canplay', 'Waiting', 'Error', 'Play', 'Pause', 'Seeking', 'Seeked', 'Ended', 'Stop', 'TimeUpdate', 'Next', 'Prev'] as const;
type AudioEvent = (typeof EVENTS)[number];
type Listener = (res?: unknown) => void;

const FIELDS = ['title', 'epname', 'singer', 'coverImgUrl', 'webUrl', 'protocol', 'startTime', 'referrerPolicy', 'audioType'] as const;

/** The status of a GET of the first byte of `url`, or a transport failure. */
function statusOf(url: string): Promise<number> {
  return new Promise((done, fail) => {
    const req = request(url, { method: 'GET', agent: false, timeout: 10_000, headers: { range: 'bytes=0-0' } }, (res) => {
      res.resume();
      res.on('end', () => done(res.statusCode ?? 0));
      res.on('error', fail);
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', fail);
    req.end();
  });
}

export class BackgroundAudio {
  /** What the app set: the lock screen shows title, epname, singer and coverImgUrl. */
  readonly fields: Record<(typeof FIELDS)[number], unknown> = { title: '', epname: '', singer: '', coverImgUrl: '', webUrl: '', protocol: 'http', startTime: 0, referrerPolicy: 'origin', audioType: 'music' };
  src = '';
  playbackRate = 1;
  currentTime = 0;
  duration = 0;
  paused = true;
  /** a track is loaded (set by src, ended by stop or an error) */
  private active = false;
  /** every `src` the app set, in order: a swap mid-play shows here */
  readonly sources: string[] = [];
  private listeners = new Map<AudioEvent, Listener>();
  private loading = 0;
  private object?: Record<string, unknown>;

  constructor(
    private readonly session: AudioSession,
    private readonly localFileExists: (path: string) => boolean,
  ) {}

  private emit(event: AudioEvent, res?: unknown) {
    // WeChat calls listeners asynchronously, never inside the setter or method that caused the event.
    this.session.track(Promise.resolve().then(() => this.listeners.get(event)?.(res)));
  }

  private fail(errCode: number, errMsg: string) {
    this.active = false;
    this.paused = true;
    this.emit('Error', { errCode, errMsg });
  }

  private load(src: string) {
    if (!this.fields.title) throw new Error('background audio: WeChat plays nothing without a title; set title before src');
    this.src = src;
    this.sources.push(src);
    this.active = false;
    this.paused = true;
    this.currentTime = Number(this.fields.startTime) || 0;
    const loading = ++this.loading;
    const start = () => {
      if (loading !== this.loading) return; // another src was set meanwhile
      this.active = true;
      this.paused = false;
      this.emit('Canplay');
      this.emit('Play');
    };
    if (/^https?:\/\//.test(src)) {
      if (!this.session.online) return void this.session.track(Promise.resolve().then(() => loading === this.loading && this.fail(10002, 'network error')));
      this.session.track(
        statusOf(src).then(
          (status) => (status >= 200 && status < 300 ? start() : loading === this.loading && this.fail(10003, `file error: ${status}`)),
          () => loading === this.loading && this.fail(10002, 'network error'),
        ),
      );
    } else if (this.localFileExists(src)) {
      this.session.track(Promise.resolve().then(start));
    } else {
      this.session.track(Promise.resolve().then(() => loading === this.loading && this.fail(10003, `file error: no such file ${src}`)));
    }
  }

  /** The object `wx.getBackgroundAudioManager()` answers. */
  manager(): Record<string, unknown> {
    if (this.object) return this.object;
    const player = this;
    const manager: Record<string, unknown> = {
      play() {
        if (player.active && player.paused) {
          player.paused = false;
          player.emit('Play');
        }
      },
      pause() {
        if (player.active && !player.paused) {
          player.paused = true;
          player.emit('Pause');
        }
      },
      seek(position: number) {
        if (!player.active) return;
        player.emit('Seeking');
        player.currentTime = Math.max(0, Number(position));
        player.emit('Seeked');
      },
      stop() {
        if (!player.active) return;
        player.active = false;
        player.paused = true;
        player.currentTime = 0;
        player.emit('Stop');
      },
    };
    for (const event of EVENTS) manager[`on${event}`] = (listener: Listener) => void player.listeners.set(event, listener);
    for (const field of FIELDS) {
      Object.defineProperty(manager, field, { enumerable: true, get: () => player.fields[field], set: (value: unknown) => void (player.fields[field] = value) });
    }
    Object.defineProperties(manager, {
      src: { enumerable: true, get: () => player.src, set: (value: string) => player.load(String(value)) },
      playbackRate: {
        enumerable: true,
        get: () => player.playbackRate,
        set: (value: number) => {
          // WeChat takes 0.5 to 2.0.
          if (value < 0.5 || value > 2) throw new Error(`background audio: playbackRate ${value} is outside 0.5-2.0`);
          player.playbackRate = value;
        },
      },
      currentTime: { enumerable: true, get: () => player.currentTime },
      duration: { enumerable: true, get: () => player.duration },
      paused: { enumerable: true, get: () => player.paused },
      buffered: { enumerable: true, get: () => player.currentTime },
    });
    this.object = manager;
    return manager;
  }

  // -----------------------------------------------------------------------------------------------
  // The test's side: time passing, and the lock screen

  /** Whether a track plays now. */
  get playing(): boolean {
    return this.active && !this.paused;
  }

  /** `seconds` of wall time pass: a playing track moves on at its rate, a timeupdate every quarter second of media, each seeing its own currentTime. */
  advance(seconds: number) {
    if (!this.playing) return;
    const step = 0.25;
    for (let media = 0; media + step <= seconds * this.playbackRate + 1e-9; media += step) {
      this.currentTime = Math.round((this.currentTime + step) * 1000) / 1000;
      if (this.duration && this.currentTime >= this.duration) return this.end();
      // Delivered as the time passes (the listener reads currentTime): the test is not app code, so nothing re-enters.
      this.listeners.get('TimeUpdate')?.();
    }
  }

  /** The track plays to its end. */
  end() {
    if (!this.active) return;
    if (this.duration) this.currentTime = this.duration;
    this.active = false;
    this.paused = true;
    this.emit('Ended');
  }

  /** The learner pauses from the lock screen or the notification. */
  pauseFromSystem() {
    (this.manager().pause as () => void)();
  }

  playFromSystem() {
    (this.manager().play as () => void)();
  }

  /** The learner closes the player (the notification's close button). */
  stopFromSystem() {
    (this.manager().stop as () => void)();
  }

  /** The lock screen's next button (iOS). */
  next() {
    this.emit('Next');
  }
}
