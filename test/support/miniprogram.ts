/**
 * Renders a real page of miniprogram/ in jsdom with miniprogram-simulate, and lets it talk to the test
 * emulator as a chosen learner: `wx.cloud.callFunction` goes over HTTP to the emulator's client gateway
 * and reaches the real cloud function. Nothing of the mini program is mocked.
 *
 * miniprogram-simulate renders custom components, not pages, so the page's `Page(options)` call is
 * turned into a `Component` definition (see `pageToComponent`) and this harness plays the framework's
 * part: it launches the app (app.ts), then calls the page's lifecycle hooks in WeChat's order.
 *
 * Types: this file is checked by the root tsconfig (Node world), which must not load WeChat's global
 * typings (they clash with Node's and wx-server-sdk's), so miniprogram-simulate is required untyped and
 * described by the small interfaces below.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { clientDatabase } from './wx/database';
import { wxLocalStorage } from './wx/local-storage';
import { wxDevice } from './wx/device';
import { wxPay } from './wx/pay';
import { wxCloudStorage } from './wx/storage';
import { wxSubscribe } from './wx/subscribe';
import { wxChannels } from './wx/channels';
import { wxVideo } from './wx/video';
import { wxChoose } from './wx/choose';
import { wxCanvas } from './wx/canvas';
import { wxAlbum } from './wx/album';
import { asyncApi, type ApiParam } from './wx/api';
import { BackgroundAudio } from './wx/audio';
import { wxFiles } from './wx/files';
import { postJson } from './wx/http';
import { finishAnimations } from './animation';
import { forwardClassToExternalClass } from './external-classes';
import { convertRpxAsWeChat } from './rpx';
import { registerImage, useImageSession } from './wx/image';
import { registerTextFields } from './wx/text-fields';
import { wxRequest } from './wx/request';

export const MINIPROGRAM_ROOT = resolve(__dirname, '../../miniprogram');

// ---------------------------------------------------------------------------------------------------
// miniprogram-simulate / j-component, as far as this harness uses them

/** A node of the rendered tree: the page itself, a built-in component (view, button...) or a custom one. */
export interface SimComponent {
  readonly dom: HTMLElement;
  readonly data: Record<string, unknown>;
  /** The `this` of the component: its data, setData and methods. */
  readonly instance: Record<string, unknown> & { setData(data: Record<string, unknown>, callback?: () => void): void };
  querySelector(selector: string): SimComponent | undefined;
  querySelectorAll(selector: string): SimComponent[];
  /** Fires an event on the node, e.g. 'tap' (delivered asynchronously, as in WeChat). */
  dispatchEvent(eventName: string, options?: { detail?: unknown }): void;
  toJSON(): unknown;
}

interface SimRootComponent extends SimComponent {
  attach(parent: Element): void;
  detach(): void;
}

interface Simulate {
  load(componentPath: string, options?: { compiler?: 'official' | 'simulate'; rootPath?: string }): string;
  render(componentId: string, properties?: Record<string, unknown>): SimRootComponent;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const simulate = require('miniprogram-simulate') as Simulate;
// What WeChat does and j-component does not (see each module).
forwardClassToExternalClass();
finishAnimations();
registerImage();
registerTextFields();
convertRpxAsWeChat();

/**
 * WeChat looks a usingComponents path like `tdesign-miniprogram/button/button` up in miniprogram_npm/
 * (built by `npm run build`, as DevTools' "构建 npm" does); miniprogram-simulate knows only relative and
 * absolute paths, so such paths are made absolute as component definitions are read.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const simulateFiles = require('miniprogram-simulate/src/utils') as { readJson(path: string): { usingComponents?: Record<string, string> } | null };
const readJson = simulateFiles.readJson;
simulateFiles.readJson = (path) => {
  const json = readJson(path);
  for (const [tag, target] of Object.entries(json?.usingComponents ?? {})) {
    const npmPath = `/miniprogram_npm/${target}`;
    if (!/^[./]/.test(target) && existsSync(join(MINIPROGRAM_ROOT, `${npmPath}.json`))) json!.usingComponents![tag] = npmPath;
  }
  return json;
};

type AnyFunction = (this: unknown, ...args: unknown[]) => unknown;
type Options = Record<string, unknown>;

interface WxGlobals {
  wx: Record<string, unknown>;
  App: (options: Options) => void;
  getApp: () => Options;
  Page: (options: Options) => void;
  Component: (definition: Options) => void;
  getCurrentPages: () => Options[];
}

const globals = globalThis as unknown as WxGlobals;

// ---------------------------------------------------------------------------------------------------
// Page → Component

/** Page hooks: kept as methods of the component, called by the harness like the framework would. */
export const PAGE_HOOKS = [
  'onLoad', 'onShow', 'onReady', 'onHide', 'onUnload', 'onRouteDone', 'onPullDownRefresh', 'onReachBottom',
  'onPageScroll', 'onShareAppMessage', 'onShareTimeline', 'onAddToFavorites', 'onResize', 'onTabItemTap',
  'onSaveExitState',
] as const;

/**
 * A Component definition that behaves like the page: `data` and `options`/`behaviors` as they are, every
 * function (hooks and custom methods) as a method, and other custom fields copied onto each instance
 * (WeChat gives every page instance its own deep copy of them).
 */
export function pageToComponent(page: Options, route: string): Options {
  const { data, options, behaviors, ...rest } = page;
  const methods: Record<string, unknown> = {};
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(rest)) (typeof value === 'function' ? methods : fields)[key] = value;
  return {
    data: structuredCopy(data ?? {}),
    ...(options === undefined ? {} : { options }),
    ...(behaviors === undefined ? {} : { behaviors }),
    methods,
    lifetimes: {
      created(this: Options) {
        Object.assign(this, structuredCopy(fields), { route, is: route });
      },
    },
  };
}

const structuredCopy = <T>(value: T): T => (value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T));

// ---------------------------------------------------------------------------------------------------
// wx: the cloud, through the emulator gateway, and recorders for the UI APIs

export interface CloudCall {
  name: string;
  data: unknown;
  openid: string;
  /** `{result}` as the function answered, or the platform failure the page received. */
  outcome?: { result: unknown; requestID: string } | { errCode: number; errMsg: string };
}

/** What `wx.cloud.callFunction` rejects with: an Error carrying `errCode` and `errMsg`, as on a phone. */
export class CloudError extends Error {
  constructor(
    readonly errCode: number,
    readonly errMsg: string,
  ) {
    super(errMsg);
  }
}

/** wx APIs the harness answers with success and records, so tests can assert on them. */
const RECORDED_APIS = [
  'showToast', 'hideToast', 'showLoading', 'hideLoading', 'showModal', 'showActionSheet',
  'startPullDownRefresh', 'stopPullDownRefresh', 'setNavigationBarTitle', 'pageScrollTo',
  'navigateTo', 'redirectTo', 'switchTab', 'reLaunch', 'navigateBack', 'setVisualEffectOnCapture',
] as const;
export type RecordedApi = (typeof RECORDED_APIS)[number];



export interface CloudControl {
  /** Base URL of the emulator; change it to make the next calls fail or succeed at the transport. */
  gatewayUrl: string;
  /** The learner calling; change it to continue as another learner. */
  openid: string;
  /** The `env` given to `wx.cloud.init`, or `undefined` when the app never called it. */
  readonly initedWith: { env?: unknown; traceUser?: unknown } | undefined;
  /** Every `wx.cloud.callFunction`, in order. */
  readonly calls: CloudCall[];
}

class WxSession {
  readonly calls: CloudCall[] = [];
  /** Every `wx.request`, in order. */
  readonly requests: Array<{ url: string; method: string }> = [];
  readonly recorded: Array<{ api: RecordedApi; options: Options }> = [];
  readonly pending = new Set<Promise<unknown>>();
  initedWith: CloudControl['initedWith'];
  /** What `wx.showModal` answers. */
  modalAnswer: { confirm: boolean; cancel: boolean } = { confirm: true, cancel: false };
  /** The item the learner taps in the next `wx.showActionSheet` (undefined: they cancel). */
  actionSheetAnswer?: number;
  /** What the page registered with `wx.onNeedPrivacyAuthorization` (WeChat keeps one). */
  privacyListener?: (resolve: (result: unknown) => void) => void;
  /** false: the phone has no network (the test turned it off); calls fail at the transport */
  online = true;
  /** the app's one background audio player (wx/audio.ts), created at install */
  audio!: BackgroundAudio;

  constructor(
    public gatewayUrl: string,
    public openid: string,
    readonly packageFiles: Record<string, string> = {},
    readonly envVersion: EnvVersion = 'develop',
  ) {}

  track<T>(work: Promise<T>): Promise<T> {
    this.pending.add(work);
    const forget = () => this.pending.delete(work);
    work.then(forget, forget);
    return work;
  }

  async callFunction(name: string, data: unknown): Promise<{ errMsg: string; result: unknown; requestID: string }> {
    const call: CloudCall = { name, data, openid: this.openid };
    this.calls.push(call);
    if (!this.initedWith) {
      const failure = new CloudError(-1, "cloud.callFunction:fail Cloud API isn't enabled, please call wx.cloud.init first");
      call.outcome = { errCode: failure.errCode, errMsg: failure.errMsg };
      throw failure;
    }
    let reply: { status: number; body: unknown };
    try {
      if (!this.online) throw new Error('network is down');
      reply = await postJson(`${this.gatewayUrl}/gateway/callFunction`, { name, openid: this.openid, data: data ?? {} }, 15_000);
    } catch (e) {
      const failure = new CloudError(-1, `cloud.callFunction:fail request:fail ${(e as Error).message}`);
      call.outcome = { errCode: failure.errCode, errMsg: failure.errMsg };
      throw failure;
    }
    const body = reply.body as { result?: unknown; errCode?: number; errMsg?: string; requestID?: string; error?: string };
    if (reply.status !== 200) {
      // The gateway refused the request itself (e.g. a malformed call): a bug of the page or the harness.
      throw new Error(`gateway answered ${reply.status}: ${JSON.stringify(body)}`);
    }
    if (typeof body.errCode === 'number') {
      call.outcome = { errCode: body.errCode, errMsg: body.errMsg ?? '' };
      throw new CloudError(body.errCode, body.errMsg ?? '');
    }
    call.outcome = { result: body.result, requestID: body.requestID ?? '' };
    return { errMsg: 'cloud.callFunction:ok', result: body.result, requestID: body.requestID ?? '' };
  }

  /** The `wx` object pages see: miniprogram-simulate's stand-ins, with the cloud and recorders on top. */
  install() {
    const cloud = {
      init: (config?: { env?: unknown; traceUser?: unknown }) => {
        this.initedWith = { ...config };
      },
      callFunction: (param: ApiParam & { name: string; data?: unknown }) =>
        asyncApi(param, this.track(this.callFunction(param.name, param.data))),
      database: () => clientDatabase(this),
      ...wxCloudStorage(this, { asyncApi, CloudError }),
    };
    const recorders = Object.fromEntries(
      RECORDED_APIS.map((api) => [
        api,
        (param?: ApiParam) => {
          const { success: _s, fail: _f, complete: _c, ...options } = param ?? {};
          this.recorded.push({ api, options });
          if (api === 'showActionSheet') {
            const tapIndex = this.actionSheetAnswer;
            this.actionSheetAnswer = undefined;
            return asyncApi(param, tapIndex === undefined ? Promise.reject({ errMsg: 'showActionSheet:fail cancel' }) : Promise.resolve({ errMsg: 'showActionSheet:ok', tapIndex }));
          }
          const answer = api === 'showModal' ? { errMsg: `${api}:ok`, ...this.modalAnswer } : { errMsg: `${api}:ok` };
          return asyncApi(param, Promise.resolve(answer));
        },
      ]),
    );
    const account = {
      getAccountInfoSync: () => ({ miniProgram: { appId: 'wx0000000000000000', envVersion: this.envVersion, version: '' } }),
    };
    const privacy = {
      onNeedPrivacyAuthorization: (listener: (resolve: (result: unknown) => void) => void) => {
        this.privacyListener = listener;
      },
    };
    const { localFileExists, ...files } = wxFiles(this, { asyncApi });
    this.audio = new BackgroundAudio(this, localFileExists);
    useImageSession(this, MINIPROGRAM_ROOT);
    const media = {
      ...files,
      getBackgroundAudioManager: () => this.audio.manager(),
      getNetworkType: (param?: ApiParam) => asyncApi(param, Promise.resolve({ errMsg: 'getNetworkType:ok', networkType: this.online ? 'wifi' : 'none' })),
    };
    Object.assign(globals.wx, recorders, account, privacy, media, { cloud }, wxRequest(this), wxLocalStorage(this.openid), wxSubscribe(this, { asyncApi, CloudError }), wxChoose(this, { asyncApi }), wxPay(this, { asyncApi, CloudError }), wxDevice(this, { asyncApi, CloudError }), wxChannels(this), wxVideo(), wxCanvas(this, { asyncApi }), wxAlbum(this, { asyncApi }));
  }
}

// ---------------------------------------------------------------------------------------------------
// Launching the app

/** Which build runs: DevTools and previews are 'develop'. */
export type EnvVersion = 'develop' | 'trial' | 'release';

export interface LaunchOptions {
  /** The learner using the mini program (the openid WeChat would give the functions). */
  openid: string;
  /** Files added to the code package, by path from its root: `{'config.local.json': ...}` puts the app on the local transport. */
  packageFiles?: Record<string, string>;
  /** The build (default 'develop', as in DevTools). */
  envVersion?: EnvVersion;
  /** Emulator base URL; defaults to the test emulator (EMULATOR_URL). */
  gatewayUrl?: string;
}

/** The platform side of a launched app: the cloud, the recorded wx calls, and a way to wait for them. */
export interface WxHandle {
  readonly cloud: CloudControl;
  /** Every `wx.request` the app made, in order. */
  readonly requests: ReadonlyArray<{ url: string; method: string }>;
  /** Waits until no cloud call is in flight and the app has handled the last answers. */
  settle(): Promise<void>;
  /** The options of every call to a recorded wx API (showToast, stopPullDownRefresh, navigateTo...). */
  wxCalls(api: RecordedApi): Options[];
  /** Sets what `wx.showModal` answers next. */
  answerModal(confirm: boolean): void;
  /** Sets the item the learner taps in the next `wx.showActionSheet`. */
  answerActionSheet(tapIndex: number): void;
  /** The app's background audio player (one per launch, whatever page shows): its state, time passing, the lock screen. */
  readonly audio: BackgroundAudio;
  /** Turns the phone's network off (false) or on: cloud calls, downloads and streamed audio fail while off. */
  setNetwork(on: boolean): void;
  /**
   * The page calls an API that needs the learner's privacy authorization, as WeChat sees it: the listener
   * the page registered is asked to show its notice; resolves with the answer it gives WeChat.
   */
  needPrivacyAuthorization(): Promise<unknown>;
}

/** A learner no other test uses. */
export const newLearner = () => `o-mp-${randomBytes(6).toString('hex')}`;

/** A gateway URL where nothing listens: calls through it fail at the transport, like a phone offline. */
export async function unreachableGatewayUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((done) => server.close(() => done()));
  return `http://127.0.0.1:${port}`;
}

const tick = () => new Promise<void>((done) => setTimeout(done, 0));

function handle(session: WxSession): WxHandle {
  return {
    cloud: {
      get gatewayUrl() {
        return session.gatewayUrl;
      },
      set gatewayUrl(value: string) {
        session.gatewayUrl = value;
      },
      get openid() {
        return session.openid;
      },
      set openid(value: string) {
        session.openid = value;
      },
      get initedWith() {
        return session.initedWith;
      },
      calls: session.calls,
    },
    requests: session.requests,
    async settle() {
      for (let round = 0; round < 50; round++) {
        // A macrotask lets the app run its continuations (and taps, delivered as microtasks) first.
        await tick();
        if (session.pending.size === 0) return;
        await Promise.allSettled([...session.pending]);
      }
      throw new Error('settle: the app keeps calling functions (50 rounds)');
    },
    wxCalls: (api) => session.recorded.filter((r) => r.api === api).map((r) => r.options),
    answerModal(confirm) {
      session.modalAnswer = { confirm, cancel: !confirm };
    },
    answerActionSheet(tapIndex) {
      session.actionSheetAnswer = tapIndex;
    },
    get audio() {
      return session.audio;
    },
    setNetwork(on) {
      session.online = on;
    },
    needPrivacyAuthorization() {
      const listener = session.privacyListener;
      if (!listener) throw new Error('the page registered no wx.onNeedPrivacyAuthorization listener');
      return new Promise((resolve) => listener(resolve));
    },
  };
}

/**
 * Installs a fresh `wx` and the framework globals (App, getApp, Page, getCurrentPages), then, in a fresh
 * module registry (no state leaks between launches), runs app.ts and its onLaunch, and `load`.
 */
function launch<T>(route: string, query: Record<string, string>, { openid, gatewayUrl, packageFiles, envVersion }: LaunchOptions, load: () => T) {
  const url = gatewayUrl ?? process.env.EMULATOR_URL;
  if (!url) throw new Error('no gateway: EMULATOR_URL is set by the jest globalSetup');
  const session = new WxSession(url, openid, packageFiles, envVersion);
  session.install();

  let app: Options = {};
  const pages: Options[] = [];
  globals.App = (options) => {
    app = options;
  };
  globals.getApp = () => app;
  globals.getCurrentPages = () => [...pages];
  globals.Page = (options) => globals.Component(pageToComponent(options, route));

  let loaded: T | undefined;
  jest.isolateModules(() => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require(resolve(MINIPROGRAM_ROOT, 'app'));
    const onLaunch = app.onLaunch;
    if (typeof onLaunch === 'function') (onLaunch as AnyFunction).call(app, { path: route, query, scene: 1001, referrerInfo: {} });
    loaded = load();
  });
  return { session, loaded: loaded as T, pages };
}

/**
 * Launches the app and loads one of its modules (e.g. 'services/cloud'), to exercise code that no page
 * reaches yet against the real functions. Type the module in the test: its own types live in the
 * mini program's type world.
 */
export function loadModule<T>(modulePath: string, options: LaunchOptions): { module: T } & WxHandle {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { session, loaded } = launch('', {}, options, () => require(resolve(MINIPROGRAM_ROOT, modulePath)) as T);
  return { module: loaded, ...handle(session) };
}

// ---------------------------------------------------------------------------------------------------
// Rendering a page

export interface RenderOptions extends LaunchOptions {
  /** The page's query, as `onLoad` receives it. */
  query?: Record<string, string>;
}

export interface RenderedPage extends WxHandle {
  /** The page, as a miniprogram-simulate component (querySelector, dispatchEvent, instance...). */
  readonly component: SimComponent;
  /** The page's current `data`. */
  readonly data: Record<string, unknown>;
  /** The visible text of the page, or of the first node matching `selector`, whitespace collapsed. */
  text(selector?: string): string;
  /** Whether a node matches `selector`. */
  exists(selector: string): boolean;
  /** Taps the first node matching `selector` (throws if there is none). */
  tap(selector: string): void;
  /** Types `value` into the text field of the first node matching `selector` and confirms it (the keyboard's search key). */
  type(selector: string, value: string): void;
  /**
   * The component matching `selector` fires an event of its own (t-rate's change...) as its `triggerEvent`
   * does: the page's handler bound to it receives `detail`. Works for virtual hosts, which have no element.
   */
  trigger(selector: string, eventName: string, detail: unknown): void;
  pullDownRefresh(): void;
  reachBottom(): void;
  /** onHide + onShow, as when the learner comes back to the page. */
  hideAndShow(): void;
  /** onUnload and removal from the document. */
  unload(): void;
  /**
   * Opens another page in the same app, as `wx.navigateTo` does: this page is hidden (onHide), the new
   * one loads; the app, `wx` (the background audio player, local storage) and getCurrentPages() are
   * shared. The new page's modules are loaded afresh: what must outlive a page lives on getApp(), as the
   * audio service does.
   */
  open(route: string, query?: Record<string, string>): RenderedPage;
}

const rendered = new Set<RenderedPage>();

/** Unloads every page still on screen; runs after each test of the files using this harness. */
export function unloadAll() {
  for (const page of rendered) page.unload();
}
if (typeof afterEach === 'function') afterEach(unloadAll);

function callHook(instance: Options, hook: (typeof PAGE_HOOKS)[number], ...args: unknown[]) {
  const fn = instance[hook];
  if (typeof fn === 'function') (fn as AnyFunction).apply(instance, args);
}

interface ExparserNode {
  $$?: unknown;
  is?: string;
  childNodes?: ExparserNode[];
  shadowRoot?: { childNodes: ExparserNode[] };
}

const exparserNodeOf = (node: SimComponent) => (node as unknown as { _exparserNode: ExparserNode })._exparserNode;
const wrap = (like: SimComponent, exparserNode: ExparserNode) =>
  new (like.constructor as new (exparserNode: ExparserNode) => SimComponent)(exparserNode);

/**
 * Where a finger lands on a node: the node itself, or for a component that renders no element of its
 * own (a virtual host, as TDesign's components are) the first element it renders.
 */
function touchTarget(node: SimComponent): SimComponent {
  if (node.dom) return node;
  const children = exparserNodeOf(node).shadowRoot?.childNodes ?? [];
  const first = children.find((child) => child.$$) ?? children[0];
  return first ? touchTarget(wrap(node, first)) : node;
}

/** The text a node shows: its element's, or for a virtual host the text of what it renders. */
function textOf(node: SimComponent): string {
  if (node.dom) return node.dom.textContent ?? '';
  return (exparserNodeOf(node).shadowRoot?.childNodes ?? []).map((child) => textOf(wrap(node, child))).join('');
}

/** The built-in <input> a node is or renders (t-search, t-input...), searched depth first. */
function inputOf(node: ExparserNode): ExparserNode | undefined {
  if (node.is === 'input') return node;
  for (const child of [...(node.shadowRoot?.childNodes ?? []), ...(node.childNodes ?? [])]) {
    const input = inputOf(child);
    if (input) return input;
  }
  return undefined;
}

const collapse = (text: string | null | undefined) => (text ?? '').replace(/\s+/g, ' ').trim();

/**
 * Launches the app and opens `route` (e.g. 'pages/me/index') as `options.openid`: App.onLaunch, then
 * the page's onLoad(query), onShow and onReady, as WeChat does. One page at a time: `wx` is global.
 */
export function renderPage(route: string, { query = {}, ...options }: RenderOptions): RenderedPage {
  const { session, loaded: componentId, pages } = launch(route, query, options, () =>
    simulate.load(resolve(MINIPROGRAM_ROOT, route), { compiler: 'official', rootPath: MINIPROGRAM_ROOT }),
  );
  return mountPage(componentId, query, session, pages);
}

/** A page of an app already launched, on top of `pages`: its modules loaded in a fresh registry. */
function openInApp(route: string, query: Record<string, string>, session: WxSession, pages: Options[]): RenderedPage {
  globals.Page = (options) => globals.Component(pageToComponent(options, route));
  let componentId = '';
  jest.isolateModules(() => {
    componentId = simulate.load(resolve(MINIPROGRAM_ROOT, route), { compiler: 'official', rootPath: MINIPROGRAM_ROOT });
  });
  return mountPage(componentId, query, session, pages);
}

function mountPage(componentId: string, query: Record<string, string>, session: WxSession, pages: Options[]): RenderedPage {
  const root = simulate.render(componentId);
  const container = document.createElement('div');
  document.body.appendChild(container);
  root.attach(container);
  const instance = root.instance as Options;
  instance.options = { ...query };
  pages.push(instance);

  let onScreen = true;
  callHook(instance, 'onLoad', { ...query });
  callHook(instance, 'onShow');
  callHook(instance, 'onReady');

  const pageText = () => collapse(root.dom.textContent);
  const find = (selector: string) => root.querySelector(selector);
  const page: RenderedPage = {
    ...handle(session),
    component: root,
    get data() {
      return root.data;
    },
    text(selector?: string) {
      if (selector === undefined) return pageText();
      const node = find(selector);
      if (!node) throw new Error(`nothing matches ${selector} in «${pageText()}»`);
      return collapse(textOf(node));
    },
    exists: (selector) => find(selector) !== undefined,
    tap(selector) {
      const node = find(selector);
      if (!node) throw new Error(`nothing to tap: no ${selector} in «${pageText()}»`);
      touchTarget(node).dispatchEvent('tap');
    },
    type(selector, value) {
      const node = find(selector);
      const input = node && inputOf(exparserNodeOf(node));
      if (!input) throw new Error(`nothing to type into: no ${selector} with an input in «${pageText()}»`);
      const field = wrap(node, input);
      field.dispatchEvent('input', { detail: { value, cursor: value.length } });
      field.dispatchEvent('confirm', { detail: { value } });
    },
    trigger(selector, eventName, detail) {
      const node = find(selector);
      if (!node) throw new Error(`nothing to trigger ${eventName} on: no ${selector} in «${pageText()}»`);
      (exparserNodeOf(node) as unknown as { triggerEvent(name: string, detail: unknown, options: object): void }).triggerEvent(eventName, detail, {});
    },
    pullDownRefresh: () => callHook(instance, 'onPullDownRefresh'),
    reachBottom: () => callHook(instance, 'onReachBottom'),
    hideAndShow() {
      callHook(instance, 'onHide');
      callHook(instance, 'onShow');
    },
    unload() {
      if (!onScreen) return;
      onScreen = false;
      rendered.delete(page);
      callHook(instance, 'onUnload');
      root.detach();
      container.remove();
      pages.splice(pages.indexOf(instance), 1);
    },
    open(nextRoute, nextQuery = {}) {
      if (onScreen) callHook(instance, 'onHide');
      return openInApp(nextRoute, nextQuery, session, pages);
    },
  };
  rendered.add(page);
  return page;
}
