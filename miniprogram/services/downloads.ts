/**
 * Offline audio: an entitled learner's copy of a lesson on the phone (wx.downloadFile of its short-lived URL,
 * then the file system manager's saveFile into USER_DATA_PATH), listed in a manifest in local storage, and
 * one typed call of `checkDownloads`, which says which copies the learner may still keep: the others are
 * deleted (a refund, a revoked grant, a lapsed membership), on launch and when 下载 opens.
 */
import type { CheckDownloadsRequest, CheckDownloadsResponse } from '../../domain/contracts/downloads';
import type { Lesson } from './catalog';
import { callFunction, type Jsonified } from './cloud';

/** An audio lesson with what the player and the lock screen show for it. */
export interface AudioLesson {
  lessonId: string;
  courseId: string;
  title: string;
  courseTitle: string;
  lecturer: string;
  cover: string;
  durationSec: number;
}

/** A lesson kept on the phone. */
export interface Download extends AudioLesson {
  /** the file, under wx.env.USER_DATA_PATH */
  path: string;
  /** bytes */
  size: number;
  savedAt: number;
}

/** What the course says about a lesson's copy: the lock screen's lines. */
export type CourseLines = Pick<AudioLesson, 'courseTitle' | 'lecturer' | 'cover'>;

const MANIFEST_KEY = 'downloads.manifest';

function manifest(): Record<string, Download> {
  const stored = wx.getStorageSync(MANIFEST_KEY) as Record<string, Download> | '';
  return stored || {};
}

function keep(all: Record<string, Download>) {
  if (Object.keys(all).length) wx.setStorageSync(MANIFEST_KEY, all);
  else wx.removeStorageSync(MANIFEST_KEY);
}

/** The learner's downloads, newest first. */
export const listDownloads = (): Download[] => Object.values(manifest()).sort((a, b) => b.savedAt - a.savedAt);

export const downloadOf = (lessonId: string): Download | undefined => manifest()[lessonId];

/**
 * Whether the learner may keep this lesson offline: an audio lesson with media, of a course they are
 * entitled to (not a trial): the rule of domain/access/downloads.ts, which checkDownloads applies.
 */
export const mayDownload = (view: Lesson): boolean =>
  view.lesson.type === 'audio' && !!view.media && (view.access === 'free' || view.access === 'purchased' || view.access === 'member');

/** wx callbacks as a promise: the file APIs take callbacks only, downloadFile answers its task. */
function promised<T>(start: (callbacks: { success: (res: T) => void; fail: (err: { errMsg?: string }) => void }) => void): Promise<T> {
  return new Promise((resolve, reject) => start({ success: resolve, fail: (err) => reject(new Error(err.errMsg ?? 'fail')) }));
}

/** The file's extension in its URL (`.m4a`...), for players that go by the name. */
function extensionOf(url: string): string {
  const path = url.split('?')[0] ?? '';
  const match = /\.[A-Za-z0-9]{1,5}$/.exec(path);
  return match ? match[0] : '.m4a';
}

/** Downloads the lesson's audio and keeps it; fails (with words for the learner) when that cannot be done. */
export async function downloadLesson(view: Lesson, lines: CourseLines): Promise<Download> {
  if (!mayDownload(view) || !view.media) throw new Error('购买课程后才能下载');
  const url = view.media.url;
  const fs = wx.getFileSystemManager();
  let downloaded: WechatMiniprogram.DownloadFileSuccessCallbackResult;
  try {
    downloaded = await promised((callbacks) => void wx.downloadFile({ url, ...callbacks }));
  } catch {
    throw new Error('下载失败，请检查网络后重试');
  }
  // downloadFile succeeds whatever the server answered: an expired URL is a 403.
  if (downloaded.statusCode !== 200) throw new Error('下载失败，请重新打开本课后再试');
  const path = `${wx.env.USER_DATA_PATH}/lesson-${view.lesson.id}${extensionOf(url)}`;
  try {
    await promised<WechatMiniprogram.SaveFileSuccessCallbackResult>((callbacks) => fs.saveFile({ tempFilePath: downloaded.tempFilePath, filePath: path, ...callbacks }));
  } catch {
    throw new Error('手机存储空间不足，无法保存');
  }
  const info = await promised<WechatMiniprogram.GetFileInfoSuccessCallbackResult>((callbacks) => fs.getFileInfo({ filePath: path, ...callbacks }));
  const download: Download = {
    lessonId: view.lesson.id,
    courseId: view.lesson.courseId,
    title: view.lesson.title,
    ...lines,
    durationSec: view.lesson.durationSec,
    path,
    size: info.size,
    savedAt: Date.now(),
  };
  const all = manifest();
  all[download.lessonId] = download;
  keep(all);
  return download;
}

/** Deletes the copy of a lesson (its file, then its entry; a file already gone is no failure). */
export async function removeDownload(lessonId: string): Promise<void> {
  const download = manifest()[lessonId];
  if (!download) return;
  try {
    await promised((callbacks) => wx.getFileSystemManager().unlink({ filePath: download.path, ...callbacks }));
  } catch {
    // Already gone: only the entry remains to remove.
  }
  const all = manifest();
  delete all[lessonId];
  keep(all);
}

/** Which of `lessonIds` the learner may still keep offline. */
export function checkDownloads(lessonIds: string[]): Promise<Jsonified<CheckDownloadsResponse>> {
  return callFunction<CheckDownloadsRequest, CheckDownloadsResponse>('checkDownloads', { lessonIds });
}

/**
 * Asks the server which downloads may stay and deletes the others; answers the lessons deleted. Offline
 * (the check fails) everything stays until the next check.
 */
export async function pruneDownloads(): Promise<string[]> {
  const ids = Object.keys(manifest());
  if (!ids.length) return [];
  let kept: Set<string>;
  try {
    kept = new Set((await checkDownloads(ids.slice(0, 100))).keep);
  } catch {
    return [];
  }
  // Beyond the first 100 (more than a phone holds) the next check decides.
  const gone = ids.slice(0, 100).filter((id) => !kept.has(id));
  for (const id of gone) await removeDownload(id);
  return gone;
}
