/**
 * Cloud storage as functions use it. Paid media are never public: a function that has checked the
 * learner's access hands out a temporary URL (wechat-platform.md: storage rules gate the API, not the URL).
 */
import type * as cloud from 'wx-server-sdk';

/** A file's path in storage: `cloud://<env>.<bucket>/<path>`, the path starting after the first slash following the scheme. */
export const pathOf = (fileId: string) => fileId.slice(fileId.indexOf('/', 'cloud://'.length) + 1);

export interface Storage {
  /** a temporary download URL for each file ID, valid for `maxAgeSec` */
  tempUrls(fileIds: string[], maxAgeSec: number): Promise<Map<string, string>>;
  /** each file's temporary URL and size in bytes (null for a file that does not exist), e.g. to check what a learner uploaded */
  inspect(fileIds: string[], maxAgeSec: number): Promise<Map<string, { url: string; size: number } | null>>;
  /** writes `content` at `cloudPath` (replacing what was there); answers its file ID */
  upload(cloudPath: string, content: Buffer): Promise<string>;
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
    async inspect(fileIds, maxAgeSec) {
      if (fileIds.length === 0) return new Map();
      const { fileList } = (await sdk.getTempFileURL({ fileList: fileIds.map((fileID) => ({ fileID, maxAge: maxAgeSec })) })) as TempFileResult;
      // The SDK has no metadata call: the size is the Content-Length a HEAD of the URL answers.
      const sizes = await Promise.all(
        fileList.map(async (f) => {
          if (f.status !== 0) return null;
          const res = await fetch(f.tempFileURL, { method: 'HEAD' });
          return res.ok ? { url: f.tempFileURL, size: Number(res.headers.get('content-length') ?? 0) } : null;
        }),
      );
      return new Map(fileList.map((f, i) => [f.fileID, sizes[i]!]));
    },
    async upload(cloudPath, content) {
      return (await sdk.uploadFile({ cloudPath, fileContent: content })).fileID;
    },
  };
}
