/**
 * The photo album and the learner's authorizations (scopes) for the mini-program harness:
 * `wx.requirePrivacyAuthorize`, `wx.getSetting`, `wx.authorize`, `wx.openSetting` and
 * `wx.saveImageToPhotosAlbum`, as WeChat answers them:
 * - behind the privacy notice first (wx/privacy.ts);
 * - a scope never asked shows WeChat's dialog once (the test sets the learner's answer with
 *   `answerScope`, allow by default): allowed or denied, it is remembered, and a denied scope fails at once
 *   (`auth deny`) until the learner turns it on in the settings page (`wx.openSetting`, where they turn on
 *   what the test set with `answerSettings`);
 * - saving an image asks the album scope the same way when never asked, and keeps what was saved (a file
 *   of the phone, or a canvas's exported drawing: wx/canvas.ts) for the test to assert on.
 */
import { existsSync } from 'node:fs';
import type { ApiParam, Callbacks } from './api';
import { exportedDrawing, type Drawing } from './canvas';
import { diskPathOf } from './files';
import { privacyAuthorized, type PrivacySession } from './privacy';

export interface AlbumSession extends PrivacySession {
  readonly openid: string;
  track<T>(work: Promise<T>): Promise<T>;
}

export interface SavedImage {
  filePath: string;
  /** the canvas's drawing when the file was exported from one */
  drawing?: Drawing;
}

let authSetting: Record<string, boolean> = {};
let scopeAnswer = true;
let settingsAnswer: Record<string, boolean> = {};
let dialogs: string[] = [];
let settingsOpened = 0;
let album: SavedImage[] = [];

/** What the learner answers in the next scope dialogs (allow by default). */
export function answerScope(allow: boolean) {
  scopeAnswer = allow;
}

/** What the learner turns on (true) or off in the settings page the next `wx.openSetting` opens. */
export function answerSettings(changes: Record<string, boolean>) {
  settingsAnswer = changes;
}

/** The scopes WeChat asked the learner about since the launch, in order; how often the settings page opened. */
export const scopeDialogs = () => [...dialogs];
export const settingsPagesOpened = () => settingsOpened;

/** The images saved to the album since the launch. */
export const savedToAlbum = (): SavedImage[] => [...album];

const fail = (errMsg: string, errno?: number) => ({ errMsg, ...(errno === undefined ? {} : { errno }) });

export function wxAlbum(session: AlbumSession, { asyncApi }: { asyncApi(param: Callbacks | undefined, work: Promise<unknown>): Promise<unknown> | undefined }) {
  authSetting = {};
  scopeAnswer = true;
  settingsAnswer = {};
  dialogs = [];
  settingsOpened = 0;
  album = [];

  const privacy = async (api: string) => {
    if (!(await privacyAuthorized(session))) throw fail(`${api}:fail privacy permission is not authorized`, 104);
  };

  /** Whether the scope is granted, asking the learner the first time. */
  function granted(scope: string): boolean {
    if (authSetting[scope] === undefined) {
      dialogs.push(scope);
      authSetting[scope] = scopeAnswer;
    }
    return authSetting[scope]!;
  }

  async function authorize({ scope }: ApiParam) {
    await privacy('authorize');
    if (!granted(String(scope))) throw fail('authorize:fail auth deny');
    return { errMsg: 'authorize:ok' };
  }

  async function openSetting() {
    settingsOpened += 1;
    // Only scopes the mini program asked about are listed in its settings page.
    for (const [scope, on] of Object.entries(settingsAnswer)) if (scope in authSetting) authSetting[scope] = on;
    settingsAnswer = {};
    return { errMsg: 'openSetting:ok', authSetting: { ...authSetting } };
  }

  async function saveImageToPhotosAlbum({ filePath }: ApiParam) {
    await privacy('saveImageToPhotosAlbum');
    const path = String(filePath ?? '');
    const drawing = exportedDrawing(path);
    const disk = diskPathOf(session.openid, path);
    if (!drawing && !(disk && existsSync(disk))) throw fail(`saveImageToPhotosAlbum:fail file not found ${path}`);
    if (!granted('scope.writePhotosAlbum')) throw fail('saveImageToPhotosAlbum:fail auth deny');
    album.push({ filePath: path, ...(drawing ? { drawing } : {}) });
    return { errMsg: 'saveImageToPhotosAlbum:ok' };
  }

  const api = (work: (param: ApiParam) => Promise<unknown>) => (param?: ApiParam) => asyncApi(param, session.track(work(param ?? {})));

  return {
    requirePrivacyAuthorize: api(async () => {
      await privacy('requirePrivacyAuthorize');
      return { errMsg: 'requirePrivacyAuthorize:ok' };
    }),
    getSetting: api(async () => ({ errMsg: 'getSetting:ok', authSetting: { ...authSetting } })),
    authorize: api(authorize),
    openSetting: api(openSetting),
    saveImageToPhotosAlbum: api(saveImageToPhotosAlbum),
  };
}
