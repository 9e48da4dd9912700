/**
 * `wx.downloadFile`, `wx.getFileSystemManager()` and `wx.env.USER_DATA_PATH` for the mini-program harness:
 * the learner's phone keeps files in a folder of its own (per openid, across launches in a test file, like
 * local storage). `wxfile://tmp/...` are temp files (what downloadFile answers), `wxfile://usr/...` the
 * user data folder (`wx.env.USER_DATA_PATH`) where `saveFile` moves them. downloadFile fetches over HTTP
 * (the emulator's storage URL) unless the test turned the network off.
 *
 * As in WeChat: downloadFile succeeds with whatever status the server answered (403 for an expired temp
 * URL: the app checks `statusCode`) and returns its task, not a promise; the file system manager's methods
 * take callbacks; `saveFile` moves the temp file (it is gone afterwards).
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, isAbsolute, join, resolve } from 'node:path';

export interface FilesSession {
  readonly openid: string;
  readonly online: boolean;
  /** files added to the code package for this launch (config.local.json...), by path from its root */
  readonly packageFiles: Record<string, string>;
  track<T>(work: Promise<T>): Promise<T>;
}

export interface FilesKit {
  asyncApi(param: Record<string, unknown> | undefined, work: Promise<unknown>): Promise<unknown> | undefined;
}

export const USER_DATA_PATH = 'wxfile://usr';
const PACKAGE_ROOT = resolve(__dirname, '../../../miniprogram');
/** The developer's own local setup (npm start) is never part of a test's package: tests add theirs with packageFiles. */
const DEVELOPER_ONLY = new Set(['config.local.json']);
const TEMP_PATH = 'wxfile://tmp';

const phones = new Map<string, string>();
let base: string | undefined;

/** The folder holding the learner's files on their phone. */
function rootOf(openid: string): string {
  let root = phones.get(openid);
  if (!root) {
    base ??= mkdtempSync(join(tmpdir(), 'wx-files-'));
    root = join(base, openid);
    mkdirSync(join(root, 'usr'), { recursive: true });
    mkdirSync(join(root, 'tmp'), { recursive: true });
    phones.set(openid, root);
  }
  return root;
}

/** Where a `wxfile://` path lives on disk, or undefined for a path outside the phone's folders. */
export function diskPathOf(openid: string, path: string): string | undefined {
  const match = /^wxfile:\/\/(usr|tmp)(\/[^]*)?$/.exec(path);
  if (!match || (match[2] ?? '').split('/').includes('..')) return undefined;
  return join(rootOf(openid), match[1]!, match[2] ?? '');
}

/** The files the learner keeps in the user data folder (names), for tests. */
export const userFilesOf = (openid: string) => readdirSync(join(rootOf(openid), 'usr'));

export function fetchBytes(url: string): Promise<{ status: number; bytes: Buffer }> {
  return new Promise((done, fail) => {
    const req = request(url, { method: 'GET', agent: false, timeout: 15_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', fail);
      res.on('end', () => done({ status: res.statusCode ?? 0, bytes: Buffer.concat(chunks) }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', fail);
    req.end();
  });
}

const failure = (errMsg: string) => Object.assign(new Error(errMsg), { errMsg });

export function wxFiles(session: FilesSession, { asyncApi }: FilesKit) {
  const disk = (api: string, path: unknown) => {
    const found = diskPathOf(session.openid, String(path ?? ''));
    if (!found) throw failure(`${api}:fail permission denied, open ${String(path)}`);
    return found;
  };
  const missing = (api: string, path: unknown) => failure(`${api}:fail no such file or directory ${String(path)}`);

  async function download({ url, filePath }: Record<string, unknown>) {
    if (!session.online) throw failure('downloadFile:fail request:fail network is down');
    let reply: { status: number; bytes: Buffer };
    try {
      reply = await fetchBytes(String(url));
    } catch (e) {
      throw failure(`downloadFile:fail ${(e as Error).message}`);
    }
    const ext = extname(new URL(String(url)).pathname);
    const target = filePath ? String(filePath) : `${TEMP_PATH}/${randomBytes(8).toString('hex')}${ext}`;
    writeFileSync(disk('downloadFile', target), reply.bytes);
    return { errMsg: 'downloadFile:ok', statusCode: reply.status, ...(filePath ? { filePath: target } : { tempFilePath: target }) };
  }

  const fsApi = (work: (param: Record<string, unknown>) => unknown) => (param?: Record<string, unknown>) =>
    asyncApi(param, session.track(Promise.resolve().then(() => work(param ?? {}))));

  /**
   * A file the app may read synchronously: the phone's (`wxfile://`), a temp path a picker answered (a file
   * on disk in the harness), or the code package's (a path from its root, `/` optional).
   */
  function fileBytes(path: string): Buffer {
    const phone = diskPathOf(session.openid, path);
    if (phone && existsSync(phone)) return readFileSync(phone);
    if (isAbsolute(path) && existsSync(path) && statSync(path).isFile()) return readFileSync(path);
    const inPackage = path.replace(/^\//, '');
    if (inPackage in session.packageFiles) return Buffer.from(session.packageFiles[inPackage]!);
    const file = join(PACKAGE_ROOT, inPackage);
    if (!DEVELOPER_ONLY.has(inPackage) && file.startsWith(PACKAGE_ROOT) && existsSync(file) && statSync(file).isFile()) return readFileSync(file);
    throw new Error(`readFileSync:fail no such file or directory, open ${path}`);
  }

  const fileSystemManager = {
    readFileSync(filePath: string, encoding?: BufferEncoding) {
      const bytes = fileBytes(String(filePath));
      return encoding ? bytes.toString(encoding === ('utf-8' as BufferEncoding) ? 'utf8' : encoding) : bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
    },
    saveFile: fsApi(({ tempFilePath, filePath }) => {
      const from = disk('saveFile', tempFilePath);
      if (!existsSync(from)) throw missing('saveFile', tempFilePath);
      const target = filePath ? String(filePath) : `${USER_DATA_PATH}/${randomBytes(8).toString('hex')}${extname(from)}`;
      renameSync(from, disk('saveFile', target));
      return { errMsg: 'saveFile:ok', savedFilePath: target };
    }),
    readdir: fsApi(({ dirPath }) => {
      const dir = disk('readdir', dirPath);
      if (!existsSync(dir)) throw missing('readdir', dirPath);
      return { errMsg: 'readdir:ok', files: readdirSync(dir) };
    }),
    unlink: fsApi(({ filePath }) => {
      const file = disk('unlink', filePath);
      if (!existsSync(file)) throw missing('unlink', filePath);
      unlinkSync(file);
      return { errMsg: 'unlink:ok' };
    }),
    getFileInfo: fsApi(({ filePath }) => {
      const file = disk('getFileInfo', filePath);
      if (!existsSync(file)) throw missing('getFileInfo', filePath);
      return { errMsg: 'getFileInfo:ok', size: statSync(file).size };
    }),
    access: fsApi(({ path }) => {
      if (!existsSync(disk('access', path))) throw missing('access', path);
      return { errMsg: 'access:ok' };
    }),
    rmdir: fsApi(({ dirPath, recursive }) => {
      rmSync(disk('rmdir', dirPath), { recursive: Boolean(recursive) });
      return { errMsg: 'rmdir:ok' };
    }),
  };

  return {
    env: { USER_DATA_PATH },
    downloadFile(param: Record<string, unknown> = {}) {
      const { success, fail, complete } = param as { success?: (r: unknown) => void; fail?: (e: unknown) => void; complete?: (r: unknown) => void };
      session.track(download(param)).then(
        (res) => {
          success?.(res);
          complete?.(res);
        },
        (err: unknown) => {
          fail?.(err);
          complete?.(err);
        },
      );
      // WeChat answers the task, never a promise.
      return { abort() {}, onProgressUpdate() {}, offProgressUpdate() {}, onHeadersReceived() {}, offHeadersReceived() {} };
    },
    getFileSystemManager: () => fileSystemManager,
    /** For the audio player: whether a local path names a file on the phone. */
    localFileExists: (path: string) => {
      const file = diskPathOf(session.openid, path);
      return file !== undefined && existsSync(file);
    },
  };
}
