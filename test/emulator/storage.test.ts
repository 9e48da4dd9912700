import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchEmulator, type RunningEmulator } from '../../emulator/src/launcher';
import { flipChar } from '../support/forge';
import { connectSdk, control, emulatorUrl, uniqueName } from '../support/sdk';

/** Cloud storage: the real wx-server-sdk's file calls, temp URLs as players use them, and the client rules. */
const { cloud } = connectSdk();

interface TempFile {
  fileID: string;
  tempFileURL: string;
  maxAge: number;
  status: number;
  errMsg: string;
}

interface ListedFile {
  fileID: string;
  path: string;
  size: number;
  owner: string | null;
  contentType: string;
}

/** Bytes covering every value, so any text decoding on the way would show. */
const binary = (size: number) => Buffer.concat([Buffer.from(Array.from({ length: 256 }, (_v, i) => i)), randomBytes(size)]);

async function upload(cloudPath: string, fileContent: Buffer): Promise<string> {
  return (await cloud.uploadFile({ cloudPath, fileContent })).fileID;
}

// The SDK's typings answer `Promise<T> | void`; these calls always answer a promise.
async function tempUrls(fileList: Array<string | { fileID: string; maxAge: number }>): Promise<TempFile[]> {
  return ((await cloud.getTempFileURL({ fileList: fileList as string[] })) as { fileList: TempFile[] }).fileList;
}

async function deleteFiles(fileList: string[]): Promise<Array<{ fileID: string; status: number; errMsg: string }>> {
  return ((await cloud.deleteFile({ fileList })) as { fileList: Array<{ fileID: string; status: number; errMsg: string }> }).fileList;
}

const tempUrl = async (fileID: string, maxAge = 600) => (await tempUrls([{ fileID, maxAge }]))[0]!.tempFileURL;

/** Fetches a temp URL the way the SDK and players do (`encodeURI` on the raw URL). */
const get = (url: string, headers: Record<string, string> = {}, method = 'GET') => fetch(encodeURI(url), { method, headers });

const bytesOf = async (res: Response) => Buffer.from(await res.arrayBuffer());

const listed = async (fileID: string) => (await control<ListedFile[]>('GET', '/storage/files')).find((f) => f.fileID === fileID);

describe('storage through wx-server-sdk', () => {
  it('uploads binary bytes and downloads them unchanged, under a CloudBase-shaped file ID', async () => {
    const bytes = binary(200_000);
    const cloudPath = `${uniqueName('courses')}/第1讲 导论.mp4`;
    const fileID = await upload(cloudPath, bytes);
    expect(fileID).toBe(`cloud://local-env.6c6f-local-env-1300000000/${cloudPath}`);

    const { fileContent } = await cloud.downloadFile({ fileID });
    expect(Buffer.compare(fileContent as Buffer, bytes)).toBe(0);
    expect(await listed(fileID)).toMatchObject({ path: cloudPath, size: bytes.length, owner: null, contentType: 'video/mp4' });
  });

  it('serves a temp URL with the content type by extension and the exact length, for GET and HEAD', async () => {
    const folder = uniqueName('media');
    const cases: Array<[string, string]> = [
      ['lesson.m3u8', 'application/vnd.apple.mpegurl'],
      ['seg0.ts', 'video/mp2t'],
      ['talk.mp3', 'audio/mpeg'],
      ['talk.m4a', 'audio/mp4'],
      ['cover.png', 'image/png'],
      ['cover.JPG', 'image/jpeg'],
      ['cover.webp', 'image/webp'],
      ['notes.pdf', 'application/pdf'],
      ['outline.json', 'application/json'],
      ['readme.txt', 'text/plain; charset=utf-8'],
      ['blob.bin', 'application/octet-stream'],
    ];
    const bytes = binary(1000);
    for (const [name, contentType] of cases) {
      const url = await tempUrl(await upload(`${folder}/${name}`, bytes));
      const res = await get(url);
      expect([res.status, res.headers.get('content-type'), res.headers.get('content-length')]).toEqual([200, contentType, String(bytes.length)]);
      expect(Buffer.compare(await bytesOf(res), bytes)).toBe(0);
      const head = await get(url, {}, 'HEAD');
      expect([head.status, head.headers.get('content-length'), (await head.arrayBuffer()).byteLength]).toEqual([200, String(bytes.length), 0]);
    }
  });

  it('answers the default (one day) or the asked max age, capped at one day', async () => {
    const fileID = await upload(`${uniqueName('age')}/a.txt`, Buffer.from('hi'));
    const [byDefault, asked, tooLong] = await tempUrls([fileID, { fileID, maxAge: 60 }, { fileID, maxAge: 7 * 86_400 }]);
    expect([byDefault!.maxAge, asked!.maxAge, tooLong!.maxAge]).toEqual([86_400, 60, 86_400]);
    expect(byDefault).toMatchObject({ status: 0, errMsg: 'ok' });
  });

  it('expires a temp URL after its max age with 403', async () => {
    const url = await tempUrl(await upload(`${uniqueName('expiry')}/a.txt`, Buffer.from('short-lived')), 1);
    expect((await get(url)).status).toBe(200);
    await new Promise((done) => setTimeout(done, 1100));
    const res = await get(url);
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('<Code>AccessDenied</Code>');
  });

  it('refuses a tampered temp URL with 403: another signature, a later expiry or another file', async () => {
    const folder = uniqueName('tamper');
    await upload(`${folder}/other.txt`, Buffer.from('not yours'));
    const url = new URL(await tempUrl(await upload(`${folder}/mine.txt`, Buffer.from('mine'))));
    const sign = url.searchParams.get('sign')!;
    const tampered = [
      (u: URL) => u.searchParams.set('sign', flipChar(sign)),
      (u: URL) => u.searchParams.set('t', String(Number(u.searchParams.get('t')) + 86_400_000)),
      (u: URL) => (u.pathname = u.pathname.replace('mine.txt', 'other.txt')),
      (u: URL) => u.searchParams.delete('sign'),
    ];
    for (const change of tampered) {
      const copy = new URL(url);
      change(copy);
      expect((await fetch(copy)).status).toBe(403);
    }
    expect((await fetch(url)).status).toBe(200);
  });

  it('answers 404 for a deleted file, and reports a second delete as missing', async () => {
    const fileID = await upload(`${uniqueName('gone')}/a.txt`, Buffer.from('bye'));
    const url = await tempUrl(fileID);
    expect(await deleteFiles([fileID])).toEqual([{ fileID, status: 0, errMsg: 'ok' }]);
    const res = await get(url);
    expect(res.status).toBe(404);
    expect(await res.text()).toContain('<Code>NoSuchKey</Code>');
    expect(await listed(fileID)).toBeUndefined();
    expect(await deleteFiles([fileID])).toEqual([{ fileID, status: -503003, errMsg: 'storage file not exists' }]);
  });

  it('serves byte ranges as a seeking video player asks for them', async () => {
    const bytes = binary(10_000);
    const size = bytes.length;
    const url = await tempUrl(await upload(`${uniqueName('video')}/clip.mp4`, bytes));
    const cases: Array<[string, number, number]> = [
      ['bytes=0-99', 0, 99],
      ['bytes=5000-', 5000, size - 1],
      ['bytes=-500', size - 500, size - 1],
      ['bytes=10000-999999', 10_000, size - 1],
    ];
    for (const [range, start, end] of cases) {
      const res = await get(url, { range });
      expect([res.status, res.headers.get('content-range'), res.headers.get('content-length')]).toEqual([
        206,
        `bytes ${start}-${end}/${size}`,
        String(end - start + 1),
      ]);
      expect(Buffer.compare(await bytesOf(res), bytes.subarray(start, end + 1))).toBe(0);
    }
    const beyond = await get(url, { range: `bytes=${size}-` });
    expect([beyond.status, beyond.headers.get('content-range')]).toEqual([416, `bytes */${size}`]);
    const full = await get(url, { range: 'bytes=0-9,20-29' });
    expect([full.status, (await bytesOf(full)).length]).toEqual([200, size]);
  });

  it('answers a batch file by file: a missing file fails alone', async () => {
    const folder = uniqueName('batch');
    const present = await upload(`${folder}/here.txt`, Buffer.from('here'));
    const missing = `cloud://local-env.6c6f-local-env-1300000000/${folder}/never-uploaded.txt`;
    const [ok, absent] = await tempUrls([present, missing]);
    expect(ok).toMatchObject({ fileID: present, status: 0 });
    expect(absent).toMatchObject({ fileID: missing, status: -503003, errMsg: 'storage file not exists', tempFileURL: '' });
    // wx-server-sdk passes CloudBase's code through here (its errCode is -1 for any downloadFile failure).
    await expect(cloud.downloadFile({ fileID: missing })).rejects.toMatchObject({
      code: 'STORAGE_FILE_NONEXIST',
      errMsg: expect.stringContaining('storage file not exists'),
    });

    expect((await deleteFiles([missing, present])).map((f) => f.status)).toEqual([-503003, 0]);
  });

  it('refuses an upload to a path CloudBase cannot store', async () => {
    await expect(upload('../escape.txt', Buffer.from('x'))).rejects.toMatchObject({ code: 'INVALID_PARAM', errMsg: expect.stringContaining('..') });
    await expect(upload(`${uniqueName('q')}/what?.txt`, Buffer.from('x'))).rejects.toMatchObject({ code: 'INVALID_PARAM' });
  });
});

describe('storage upload credentials', () => {
  const adminCall = async (body: Record<string, unknown>) =>
    (await (await fetch(`${emulatorUrl()}/admin?env=local-env`, { method: 'POST', body: JSON.stringify(body) })).json()) as {
      data: { url: string; token: string; authorization: string; cosFileId: string; fileId: string };
    };

  it('accepts the PUT only with the signature it issued, for the path it was issued for', async () => {
    const folder = uniqueName('put');
    const { data } = await adminCall({ action: 'storage.getUploadMetadata', path: `${folder}/a.txt`, method: 'put' });
    const headers = { authorization: data.authorization, 'x-cos-security-token': data.token, 'x-cos-meta-fileid': data.cosFileId };
    const forged = await fetch(data.url, { method: 'PUT', body: 'forged', headers: { ...headers, authorization: flipChar(data.authorization) } });
    expect(forged.status).toBe(403);
    expect(await forged.text()).toContain('<Code>SignatureDoesNotMatch</Code>');
    const elsewhere = await fetch(data.url.replace('a.txt', 'b.txt'), { method: 'PUT', body: 'moved', headers });
    expect(elsewhere.status).toBe(403);
    expect((await fetch(data.url, { method: 'PUT', body: 'real', headers })).status).toBe(200);
    expect(await listed(data.fileId)).toMatchObject({ size: 4 });
  });
});

describe('storage rules for the mini program (client gateway)', () => {
  const gateway = (path: string, init: RequestInit) => fetch(`${emulatorUrl()}/gateway/storage/${path}`, { method: 'POST', ...init });

  async function clientUpload(openid: string, cloudPath: string, bytes: Buffer) {
    const res = await gateway(`uploadFile?${new URLSearchParams({ openid, cloudPath })}`, { body: new Uint8Array(bytes) });
    expect(res.status).toBe(200);
    return (await res.json()) as { fileID?: string; errCode?: number; errMsg?: string };
  }

  const clientJson = async <T>(api: string, openid: string, fileList: unknown[]) =>
    (await (await gateway(api, { body: JSON.stringify({ openid, fileList }) })).json()) as { fileList: T[] };

  const learners = () => [uniqueName('o-a'), uniqueName('o-b')] as const;

  it('lets a learner upload under homework/<their openid>/, as its owner, and read it back', async () => {
    const [a] = learners();
    const uploaded = await clientUpload(a, `homework/${a}/essay.txt`, Buffer.from('我的作业'));
    expect(uploaded.fileID).toMatch(new RegExp(`/homework/${a}/essay\\.txt$`));
    expect(await listed(uploaded.fileID!)).toMatchObject({ owner: a, contentType: 'text/plain; charset=utf-8' });
    const [file] = (await clientJson<TempFile>('getTempFileURL', a, [uploaded.fileID])).fileList;
    expect(file!.status).toBe(0);
    expect(await (await get(file!.tempFileURL)).text()).toBe('我的作业');
  });

  it("refuses an upload into another learner's folder, or outside homework/, with a clear error", async () => {
    const [a, b] = learners();
    for (const cloudPath of [`homework/${a}/copied.txt`, `courses/free-upload.mp4`, `homework/${b}x/near-miss.txt`]) {
      const refused = await clientUpload(b, cloudPath, Buffer.from('x'));
      expect(refused.errCode).toBe(-503002);
      expect(refused.errMsg).toContain(`cloud.uploadFile:fail -503002 storage permission denied`);
      expect(refused.errMsg).toContain(cloudPath);
    }
  });

  it('lets a learner upload their avatar under avatars/<their openid>/, which others may read but not replace', async () => {
    const [a, b] = learners();
    const avatar = (await clientUpload(a, `avatars/${a}/1.png`, Buffer.from('png'))).fileID!;
    expect(avatar).toMatch(new RegExp(`/avatars/${a}/1\\.png$`));
    const [seen] = (await clientJson<TempFile>('getTempFileURL', b, [avatar])).fileList;
    expect(seen!.status).toBe(0);
    expect(await (await get(seen!.tempFileURL)).text()).toBe('png');
    expect((await clientUpload(b, `avatars/${a}/2.png`, Buffer.from('x'))).errCode).toBe(-503002);
    expect((await clientJson<{ status: number }>('deleteFile', b, [avatar])).fileList[0]!.status).toBe(-503002);
  });

  it('lets a learner read the catalog’s pictures (covers, lecturers, banners), never course media', async () => {
    const [a] = learners();
    const cover = await upload('catalog/courses/c1/cover.jpg', Buffer.from('cover'));
    const media = await upload('courses/c1/media/lesson.mp4', Buffer.from('paid'));
    const { fileList } = await clientJson<TempFile>('getTempFileURL', a, [cover, media]);
    expect(fileList.map((f) => f.status)).toEqual([0, -503002]);
    expect(await (await get(fileList[0]!.tempFileURL)).text()).toBe('cover');
  });

  it("refuses to overwrite or delete another's file, which functions still can", async () => {
    const [a, b] = learners();
    const essay = (await clientUpload(a, `homework/${a}/essay.txt`, Buffer.from('original'))).fileID!;
    // A teacher's feedback, put into b's folder by a function: b did not create it.
    const feedback = await upload(`homework/${b}/feedback.txt`, Buffer.from('good work'));

    expect((await clientUpload(b, `homework/${b}/feedback.txt`, Buffer.from('i wrote this'))).errCode).toBe(-503002);
    const deleted = await clientJson<{ fileID: string; status: number }>('deleteFile', b, [essay, feedback]);
    expect(deleted.fileList.map((f) => f.status)).toEqual([-503002, -503002]);
    const read = await clientJson<TempFile>('getTempFileURL', b, [essay]);
    expect(read.fileList[0]!.status).toBe(-503002);
    expect((await cloud.downloadFile({ fileID: essay })).fileContent.toString()).toBe('original');

    const own = await clientJson<{ status: number }>('deleteFile', a, [essay]);
    expect(own.fileList[0]!.status).toBe(0);
    expect((await deleteFiles([feedback]))[0]!.status).toBe(0);
  });

  it('rejects a gateway call without a learner', async () => {
    const res = await gateway('deleteFile', { body: JSON.stringify({ fileList: ['cloud://x'] }) });
    expect(res.status).toBe(400);
  });
});

describe('storage on disk', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'zhishi-storage-'));
  const testEnv = { ...process.env };
  let emulator: RunningEmulator | undefined;

  afterAll(async () => {
    await emulator?.stop();
    Object.assign(process.env, testEnv);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps files and the signing key across kill -9: a temp URL issued before still works', async () => {
    emulator = await launchEmulator({ dataDir, noDemo: true });
    Object.assign(process.env, emulator.sdkEnv);
    const bytes = binary(50_000);
    const fileID = await upload('lessons/intro.mp4', bytes);
    const url = new URL(await tempUrl(fileID));

    await emulator.kill();
    emulator = await launchEmulator({ dataDir, noDemo: true });
    Object.assign(process.env, emulator.sdkEnv);
    const again = new URL(`${url.pathname}${url.search}`, emulator.url);
    const res = await fetch(again);
    expect(res.status).toBe(200);
    expect(Buffer.compare(await bytesOf(res), bytes)).toBe(0);
    expect(Buffer.compare((await cloud.downloadFile({ fileID })).fileContent as Buffer, bytes)).toBe(0);
  });
});
