import { dirname, join } from 'node:path';
import cloudbase from '@cloudbase/js-sdk';
import { JSDOM } from 'jsdom';
import { control, emulatorUrl, uniqueName } from '../support/sdk';

/**
 * The web SDK's storage (issue 11's console uploads course media): the real `@cloudbase/js-sdk` v3 against the
 * emulator, pointed at it as the console is (`init({env: 'local-env'})` + `registerHost`). In its default
 * GATEWAY mode the SDK asks `POST /v1/storages/get-objects-upload-info` (bearer) for credentials, then PUTs the
 * bytes (or POSTs a COS form, `method: 'post'`) to the `uploadUrl`; `getTempFileURL` and `deleteFile` post to
 * `/v1/storages/get-objects-download-info` and `/v1/storages/delete-objects`.
 *
 * Two builds: the Node build uploads with `fetch` and never calls `onUploadProgress` (only the browser
 * adapter's XMLHttpRequest reports progress), so the browser build runs too, in Node with a jsdom window on
 * another origin (`http://localhost:5173`, the console's dev server): its upload is jsdom's XHR, which
 * enforces CORS (the preflight included) and fires the upload progress events.
 */

const EDITOR = { username: 'editor', password: 'editor-demo-pass', uid: 'u-demo-editor' };
const CONSOLE_ORIGIN = 'http://localhost:5173';

interface ListedFile {
  fileID: string;
  path: string;
  size: number;
  owner: string | null;
  uid?: string;
}

type App = ReturnType<typeof cloudbase.init>;

const listed = async (fileID: string) => (await control<ListedFile[]>('GET', '/storage/files')).find((f) => f.fileID === fileID);
const bytesOf = async (url: string) => Buffer.from(await (await fetch(url)).arrayBuffer());

function connect(sdk: typeof cloudbase): App {
  const app = sdk.init({ env: 'local-env' });
  app.registerHost(new URL(emulatorUrl()).host, 'http');
  return app;
}

interface TempFile {
  code: string;
  fileID: string;
  tempFileURL: string;
}

/** `getTempFileURL` / `deleteFile` answers, typed as the SDK fills them. */
const tempUrls = async (app: App, fileList: (string | { fileID: string; maxAge: number })[]) =>
  (await app.getTempFileURL({ fileList: fileList as string[] })).fileList as TempFile[];
const deleted = async (app: App, fileList: string[]) => (await app.deleteFile({ fileList })).fileList as { code: string; fileID: string }[];

async function signIn(app: App) {
  const { error } = await app.auth().signInWithPassword({ username: EDITOR.username, password: EDITOR.password });
  expect(error).toBeNull();
}

describe('web SDK storage (Node build)', () => {
  let app: App;

  beforeAll(async () => {
    app = connect(cloudbase);
    await signIn(app);
  });

  it('uploads a Blob as the signed-in web user, and getTempFileURL serves the same bytes', async () => {
    const cloudPath = `courses/${uniqueName('c')}/cover.png`;
    const bytes = Buffer.from('not really a png, 封面');
    const progress: unknown[] = [];
    const uploaded = await app.uploadFile({ cloudPath, filePath: new Blob([bytes], { type: 'image/png' }) as never, onUploadProgress: (e: unknown) => progress.push(e) });
    expect(uploaded.fileID).toBe(`cloud://local-env.6c6f-local-env-1300000000/${cloudPath}`);
    // The Node build's fetch upload never reports progress (see the browser build below, which does).
    expect(progress).toEqual([]);
    // Recorded as the web user's upload, never as a learner's (no openid: the learners' rules keep it theirs to leave alone).
    expect(await listed(uploaded.fileID)).toMatchObject({ path: cloudPath, size: bytes.length, owner: null, uid: EDITOR.uid });
    expect(await bytesOf((uploaded as unknown as { download_url: string }).download_url)).toEqual(bytes);

    const missing = uploaded.fileID.replace('cover.png', 'missing.png');
    const fileList = await tempUrls(app, [uploaded.fileID, { fileID: missing, maxAge: 60 }]);
    expect(fileList[0]).toMatchObject({ code: 'SUCCESS', fileID: uploaded.fileID, tempFileURL: expect.stringContaining(`/${cloudPath}?sign=`) });
    expect(await bytesOf(fileList[0]!.tempFileURL)).toEqual(bytes);
    expect(fileList[1]).toMatchObject({ code: 'OBJECT_NOT_EXIST', fileID: missing });
  });

  it('uploads with the COS POST form (method post) too', async () => {
    const cloudPath = `media/${uniqueName('m')}/intro.mp3`;
    const bytes = Buffer.from('ID3 audio bytes');
    // COS answers a form upload with XML, which the Node build logs as unparsable JSON before succeeding.
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const uploaded = await app.uploadFile({ cloudPath, fileContent: bytes, method: 'post' } as never).finally(() => warn.mockRestore());
    expect(uploaded.fileID).toMatch(new RegExp(`/${cloudPath}$`));
    expect(await listed(uploaded.fileID)).toMatchObject({ size: bytes.length, uid: EDITOR.uid, owner: null });
    const fileList = await tempUrls(app, [uploaded.fileID]);
    expect(await bytesOf(fileList[0]!.tempFileURL)).toEqual(bytes);
  });

  it('deletes: the file and its temp URL are gone', async () => {
    const cloudPath = `courses/${uniqueName('c')}/old.mp4`;
    const uploaded = await app.uploadFile({ cloudPath, filePath: new Blob(['old video']) as never });
    const urls = await tempUrls(app, [uploaded.fileID]);

    const fileList = await deleted(app, [uploaded.fileID]);
    expect(fileList).toEqual([expect.objectContaining({ code: 'SUCCESS', fileID: uploaded.fileID })]);
    expect(await listed(uploaded.fileID)).toBeUndefined();
    expect((await fetch(urls[0]!.tempFileURL)).status).toBe(404);
    // Deleting again names the missing object per file.
    expect((await deleted(app, [uploaded.fileID]))[0]).toMatchObject({ code: 'OBJECT_NOT_EXIST' });
  });

  it("keeps the learners' storage rules: a learner can neither read nor delete staff media", async () => {
    const uploaded = await app.uploadFile({ cloudPath: `courses/${uniqueName('c')}/paid.mp4`, filePath: new Blob(['paid lesson']) as never });
    const gateway = (api: string, openid: string) =>
      fetch(`${emulatorUrl()}/gateway/storage/${api}`, { method: 'POST', body: JSON.stringify({ openid, fileList: [uploaded.fileID] }) }).then(
        (r) => r.json() as Promise<{ fileList: { status: number }[] }>,
      );
    expect((await gateway('getTempFileURL', 'o-curious')).fileList[0]!.status).toBe(-503002);
    expect((await gateway('deleteFile', 'o-curious')).fileList[0]!.status).toBe(-503002);
    expect(await listed(uploaded.fileID)).toBeDefined();
  });
});

describe('web SDK storage without a valid sign-in', () => {
  const storages = (name: string, headers: Record<string, string>, body: unknown) =>
    fetch(`${emulatorUrl()}/v1/storages/${name}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

  it('refuses every storage call without a token, or with a forged one, as the gateway does', async () => {
    const cloudPath = `courses/${uniqueName('c')}/sneaky.png`;
    const calls: [string, unknown][] = [
      ['get-objects-upload-info', [{ objectId: cloudPath }]],
      ['get-objects-download-info', [{ cloudObjectId: `cloud://local-env.6c6f-local-env-1300000000/${cloudPath}` }]],
      ['delete-objects', [{ cloudObjectId: `cloud://local-env.6c6f-local-env-1300000000/${cloudPath}` }]],
    ];
    for (const [name, body] of calls) {
      for (const headers of [{}, { authorization: 'Bearer forged-token' }] as Record<string, string>[]) {
        const res = await storages(name, { ...headers, 'x-request-id': 'req-storage' }, body);
        expect(res.status).toBe(401);
        expect(await res.json()).toEqual({ code: 'INVALID_ACCESS_TOKEN', message: expect.any(String), requestId: 'req-storage' });
      }
    }
  });

  it('an SDK that is not signed in cannot upload, and stores nothing', async () => {
    // The SDK keeps one session per environment: signing out here leaves no token to any instance.
    const stranger = connect(cloudbase);
    expect((await stranger.auth().signOut()).error).toBeNull();
    const cloudPath = `courses/${uniqueName('c')}/anonymous.png`;
    await expect(stranger.uploadFile({ cloudPath, filePath: new Blob(['x']) as never })).rejects.toThrow();
    expect((await control<ListedFile[]>('GET', '/storage/files')).some((f) => f.path === cloudPath)).toBe(false);
  });

  it('refuses a body that is not an array of objects', async () => {
    const app = connect(cloudbase);
    await signIn(app);
    const token = (await app.auth().getSession()).data.session!.access_token;
    const res = await storages('get-objects-upload-info', { authorization: `Bearer ${token}` }, { objectId: 'courses/a.png' });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: 'INVALID_PARAM' });
    const bad = await storages('get-objects-upload-info', { authorization: `Bearer ${token}` }, [{ objectId: '../escape.png' }]);
    expect((await bad.json()) as unknown[]).toEqual([expect.objectContaining({ code: 'INVALID_PARAM' })]);
  });
});

describe('web SDK storage (browser build, jsdom window on the console origin)', () => {
  const GLOBALS = ['window', 'document', 'XMLHttpRequest', 'localStorage', 'sessionStorage', 'location', 'WebSocket'] as const;
  let dom: JSDOM;
  let app: App;

  beforeAll(async () => {
    dom = new JSDOM('<!doctype html><title>console</title>', { url: `${CONSOLE_ORIGIN}/` });
    // What the browser build reads from the page; its gateway calls use Node's fetch (which has no CORS to check).
    for (const name of GLOBALS) Object.assign(globalThis, { [name]: dom.window[name] });
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const browserSdk = require(join(dirname(require.resolve('@cloudbase/js-sdk')), 'index.cjs.js')) as { default?: typeof cloudbase } & typeof cloudbase;
    app = connect(browserSdk.default ?? browserSdk);
    await signIn(app);
  });

  afterAll(() => {
    for (const name of GLOBALS) delete (globalThis as Record<string, unknown>)[name];
    dom.window.close();
  });

  it('uploads a File through XMLHttpRequest across origins, reporting progress, and reads it back', async () => {
    const cloudPath = `courses/${uniqueName('c')}/lesson-1.mp4`;
    const text = 'browser-picked video bytes';
    const progress: { loaded: number; total: number }[] = [];
    const file = new dom.window.File([text], 'lesson-1.mp4', { type: 'video/mp4' });
    const uploaded = await app.uploadFile({ cloudPath, filePath: file as never, onUploadProgress: (e: { loaded: number; total: number }) => progress.push(e) });
    expect(uploaded.fileID).toMatch(new RegExp(`/${cloudPath}$`));
    expect(progress.length).toBeGreaterThan(0);
    expect(await listed(uploaded.fileID)).toMatchObject({ size: Buffer.byteLength(text), uid: EDITOR.uid, owner: null });

    const fileList = await tempUrls(app, [uploaded.fileID]);
    expect((await bytesOf(fileList[0]!.tempFileURL)).toString()).toBe(text);
    expect((await deleted(app, [uploaded.fileID]))[0]).toMatchObject({ code: 'SUCCESS' });
    expect(await listed(uploaded.fileID)).toBeUndefined();
  });

  it("answers the upload's preflight for the headers the browser sends", async () => {
    const res = await fetch(`${emulatorUrl()}/storage/6c6f-local-env-1300000000/courses/x.mp4`, {
      method: 'OPTIONS',
      headers: {
        origin: CONSOLE_ORIGIN,
        'access-control-request-method': 'PUT',
        'access-control-request-headers': 'authorization,content-type,x-cos-meta-fileid,x-cos-security-token,x-sdk-version',
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe(CONSOLE_ORIGIN);
    expect(res.headers.get('access-control-allow-methods')).toContain('PUT');
    expect(res.headers.get('access-control-allow-headers')).toContain('x-cos-security-token');
    const gateway = await fetch(`${emulatorUrl()}/v1/storages/get-objects-upload-info`, {
      method: 'OPTIONS',
      headers: { origin: CONSOLE_ORIGIN, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type,x-request-id' },
    });
    expect(gateway.status).toBe(204);
    expect(gateway.headers.get('access-control-allow-origin')).toBe(CONSOLE_ORIGIN);
  });
});
