/**
 * Cloud storage as functions use it. Paid media are never public: a function that has checked the
 * learner's access hands out a temporary URL (wechat-platform.md: storage rules gate the API, not the URL).
 */
import type * as cloud from 'wx-server-sdk';

export interface Storage {
  /** a temporary download URL for each file ID, valid for `maxAgeSec` */
  tempUrls(fileIds: string[], maxAgeSec: number): Promise<Map<string, string>>;
}

interface TempFileResult {
  fileList: Array<{ fileID: string; tempFileURL: string; status: number; errMsg: string }>;
}

export function storage(sdk: typeof cloud): Storage {
  return {
    async tempUrls(fileIds, maxAgeSec) {
      if (fileIds.length === 0) return new Map();
      const { fileList } = (await sdk.getTempFileURL({ fileList: fileIds.map((fileID) => ({ fileID, maxAge: maxAgeSec })) })) as TempFileResult;
      const failed = fileList.filter((f) => f.status !== 0);
      if (failed.length) throw new Error(`getTempFileURL failed for ${failed.map((f) => `${f.fileID} (${f.errMsg})`).join(', ')}`);
      return new Map(fileList.map((f) => [f.fileID, f.tempFileURL]));
    },
  };
}
