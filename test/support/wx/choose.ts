/**
 * `wx.chooseMedia` for the mini-program harness: the learner picks the files a test lays out with
 * `pickMedia` (local files, as the phone's album or camera gives temp paths). Like WeChat with
 * `__usePrivacyCheck__`, the first call asks the page's privacy listener and fails unless the learner agrees.
 */
import { statSync } from 'node:fs';
import type { ApiParam, Callbacks } from './api';

export interface ChooseSession {
  privacyListener?: (resolve: (result: unknown) => void) => void;
  track<T>(work: Promise<T>): Promise<T>;
}

let picks: string[] = [];
let privacyAgreed = false;

/** The files the learner picks at the next `wx.chooseMedia` (none: they cancel). */
export function pickMedia(paths: string[]) {
  picks = paths;
}

export function wxChoose(session: ChooseSession, { asyncApi }: { asyncApi(param: Callbacks | undefined, work: Promise<unknown>): Promise<unknown> | undefined }) {
  picks = [];
  privacyAgreed = false;

  async function authorized(): Promise<boolean> {
    const listener = session.privacyListener;
    if (privacyAgreed || !listener) return true;
    const answer = await new Promise<unknown>((resolve) => listener(resolve));
    privacyAgreed = (answer as { event?: string }).event === 'agree';
    return privacyAgreed;
  }

  async function chooseMedia({ count = 9, mediaType = ['image', 'video'] }: ApiParam) {
    if (!(await authorized())) throw { errMsg: 'chooseMedia:fail privacy permission is not authorized', errno: 104 };
    const chosen = picks.slice(0, Number(count));
    picks = [];
    if (!chosen.length) throw { errMsg: 'chooseMedia:fail cancel' };
    const fileType = (mediaType as string[]).includes('image') ? 'image' : 'video';
    return { errMsg: 'chooseMedia:ok', type: fileType, tempFiles: chosen.map((tempFilePath) => ({ tempFilePath, size: statSync(tempFilePath).size, fileType })) };
  }

  return {
    chooseMedia: (param: ApiParam = {}) => asyncApi(param, session.track(chooseMedia(param))),
  };
}
