/**
 * What the learner picks or records, for the mini-program harness: `wx.chooseMedia` answers the files a test
 * lays out with `pickMedia`, and the recorder (`wx.getRecorderManager`) records what `recordAudio` lays out
 * (local files, as the phone gives temp paths). Like WeChat with `__usePrivacyCheck__`, the first use asks the
 * page's privacy listener and fails unless the learner agrees.
 */
import { statSync } from 'node:fs';
import type { ApiParam, Callbacks } from './api';
import { privacyAuthorized, resetPrivacy } from './privacy';

export interface ChooseSession {
  privacyListener?: (resolve: (result: unknown) => void) => void;
  track<T>(work: Promise<T>): Promise<T>;
}

let picks: string[] = [];
let recording: { path: string; durationMs: number } | undefined;

/** The files the learner picks at the next `wx.chooseMedia` (none: they cancel). */
export function pickMedia(paths: string[]) {
  picks = paths;
}

/** What the microphone records between the learner's start and stop (none: the recorder fails). */
export function recordAudio(path: string, durationMs: number) {
  recording = { path, durationMs };
}

type Listener = (res: unknown) => void;

export function wxChoose(session: ChooseSession, { asyncApi }: { asyncApi(param: Callbacks | undefined, work: Promise<unknown>): Promise<unknown> | undefined }) {
  picks = [];
  recording = undefined;
  resetPrivacy();

  const authorized = () => privacyAuthorized(session);

  async function chooseMedia({ count = 9, mediaType = ['image', 'video'] }: ApiParam) {
    if (!(await authorized())) throw { errMsg: 'chooseMedia:fail privacy permission is not authorized', errno: 104 };
    const chosen = picks.slice(0, Number(count));
    picks = [];
    if (!chosen.length) throw { errMsg: 'chooseMedia:fail cancel' };
    const fileType = (mediaType as string[]).includes('image') ? 'image' : 'video';
    return { errMsg: 'chooseMedia:ok', type: fileType, tempFiles: chosen.map((tempFilePath) => ({ tempFilePath, size: statSync(tempFilePath).size, fileType })) };
  }

  /** One recorder per app, as WeChat's: one listener per event, delivered asynchronously. */
  const listeners: Record<string, Listener | undefined> = {};
  const emit = (event: string, res: unknown) => void Promise.resolve().then(() => listeners[event]?.(res));
  let started = false;
  const recorder = {
    start() {
      void session.track(
        authorized().then((agreed) => {
          if (!agreed) return emit('error', { errMsg: 'operateRecorder:fail privacy permission is not authorized' });
          started = true;
          emit('start', {});
        }),
      );
    },
    stop() {
      if (!started) return emit('error', { errMsg: 'operateRecorder:fail recorder not start' });
      started = false;
      const made = recording;
      recording = undefined;
      if (!made) return emit('error', { errMsg: 'operateRecorder:fail record error' });
      emit('stop', { tempFilePath: made.path, duration: made.durationMs, fileSize: statSync(made.path).size });
    },
    onStart: (listener: Listener) => void (listeners.start = listener),
    onStop: (listener: Listener) => void (listeners.stop = listener),
    onError: (listener: Listener) => void (listeners.error = listener),
  };

  return {
    chooseMedia: (param: ApiParam = {}) => asyncApi(param, session.track(chooseMedia(param))),
    getRecorderManager: () => recorder,
  };
}
