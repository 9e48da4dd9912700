/**
 * `<canvas type="2d">` for the mini-program harness, as far as a poster needs it: the node a selector query
 * answers with `fields({ node: true })`, its `getContext('2d')`, `createImage()` (loaded over HTTP, or from the
 * phone's files, as WeChat loads it: a URL that does not answer 200 fails with `onerror`), and
 * `wx.canvasToTempFilePath({ canvas })`.
 *
 * Nothing is rasterized: the context records the calls the page makes (and the properties it sets), in
 * order, so a test can assert what was drawn (which image, which text, where); an exported file is that
 * record under a temp path, never pixels. `measureText` and the other context methods not listed here
 * are absent, not guessed.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { ApiParam, Callbacks } from './api';
import { diskPathOf, fetchBytes } from './files';

export interface CanvasSession {
  readonly openid: string;
  readonly online: boolean;
  track<T>(work: Promise<T>): Promise<T>;
}

/** One call on a 2d context: a method with its arguments, or `set <property>` with the value. An image argument is `{ image: src, loaded }`. */
export interface DrawCall {
  op: string;
  args: unknown[];
}

/** A canvas's record: its size in device pixels and what was drawn on it. */
export interface Drawing {
  canvas: string;
  width: number;
  height: number;
  calls: DrawCall[];
}

const METHODS = [
  'save', 'restore', 'scale', 'rotate', 'translate', 'transform', 'setTransform', 'resetTransform',
  'clearRect', 'fillRect', 'strokeRect', 'beginPath', 'closePath', 'moveTo', 'lineTo', 'arc', 'arcTo',
  'quadraticCurveTo', 'bezierCurveTo', 'rect', 'roundRect', 'fill', 'stroke', 'clip', 'fillText', 'strokeText',
  'drawImage', 'setLineDash',
];
const PROPERTIES = [
  'fillStyle', 'strokeStyle', 'font', 'textAlign', 'textBaseline', 'lineWidth', 'lineCap', 'lineJoin',
  'globalAlpha', 'shadowColor', 'shadowBlur', 'shadowOffsetX', 'shadowOffsetY', 'imageSmoothingEnabled',
];

let session: CanvasSession | undefined;
let canvases = new WeakMap<object, SimCanvas>();
let drawn: SimCanvas[] = [];
let exported = new Map<string, Drawing>();

/** The size an image file declares (PNG's IHDR, JPEG's frame header); 0×0 when neither. */
function imageSize(bytes: Buffer): { width: number; height: number } {
  if (bytes.length > 24 && bytes.subarray(1, 4).toString() === 'PNG') return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
  if (bytes[0] === 0xff && bytes[1] === 0xd8) {
    for (let at = 2; at + 9 < bytes.length; ) {
      if (bytes[at] !== 0xff) break;
      const marker = bytes[at + 1]!;
      if (marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker)) return { width: bytes.readUInt16BE(at + 7), height: bytes.readUInt16BE(at + 5) };
      at += 2 + bytes.readUInt16BE(at + 2);
    }
  }
  return { width: 0, height: 0 };
}

/** `canvas.createImage()`: setting `src` loads it, then `onload` or `onerror`, asynchronously. */
class SimImage {
  onload: ((e: unknown) => void) | null = null;
  onerror: ((e: unknown) => void) | null = null;
  width = 0;
  height = 0;
  complete = false;
  private source = '';

  get src() {
    return this.source;
  }

  set src(value: string) {
    this.source = value;
    this.complete = false;
    const owner = session!;
    void owner.track(
      this.read(owner, value).then(
        (bytes) => {
          Object.assign(this, imageSize(bytes), { complete: true });
          this.onload?.({ type: 'load' });
        },
        (e: unknown) => this.onerror?.({ type: 'error', errMsg: (e as Error).message }),
      ),
    );
  }

  private async read(owner: CanvasSession, src: string): Promise<Buffer> {
    if (/^https?:\/\//.test(src)) {
      if (!owner.online) throw new Error('network is down');
      const { status, bytes } = await fetchBytes(src);
      if (status !== 200) throw new Error(`HTTP ${status}`);
      return bytes;
    }
    const disk = diskPathOf(owner.openid, src);
    if (disk && existsSync(disk)) return readFileSync(disk);
    throw new Error(`cannot load ${src}`);
  }
}

class SimCanvas {
  width = 300;
  height = 150;
  readonly calls: DrawCall[] = [];
  private context?: Record<string, unknown>;

  constructor(readonly id: string) {}

  getContext(type: string) {
    if (type !== '2d') return null;
    if (!this.context) {
      if (!drawn.includes(this)) drawn.push(this);
      const context: Record<string, unknown> = { canvas: this };
      const record = (op: string, args: unknown[]) => void this.calls.push({ op, args });
      for (const method of METHODS) {
        context[method] = (...args: unknown[]) =>
          record(method, args.map((arg) => (arg instanceof SimImage ? { image: arg.src, loaded: arg.complete } : arg)));
      }
      const values: Record<string, unknown> = { fillStyle: '#000000', strokeStyle: '#000000', font: '10px sans-serif', textAlign: 'start', textBaseline: 'alphabetic', lineWidth: 1, globalAlpha: 1 };
      for (const property of PROPERTIES) {
        Object.defineProperty(context, property, {
          get: () => values[property],
          set: (value: unknown) => {
            values[property] = value;
            record(`set ${property}`, [value]);
          },
        });
      }
      this.context = context;
    }
    return this.context;
  }

  createImage() {
    return new SimImage();
  }

  drawing(): Drawing {
    return { canvas: this.id, width: this.width, height: this.height, calls: this.calls.map((c) => ({ ...c, args: [...c.args] })) };
  }
}

/** What was drawn on every 2d canvas since the launch, in the order the canvases were first drawn on. */
export const canvasDrawings = (): Drawing[] => drawn.map((c) => c.drawing());

/** The drawing a `canvasToTempFilePath` exported under `path`, if any. */
export const exportedDrawing = (path: string): Drawing | undefined => exported.get(path);

interface ExparserElement {
  is?: string;
  id?: string;
  data?: Record<string, unknown>;
  shadowRoot?: { querySelector(selector: string): ExparserElement | null; querySelectorAll(selector: string): ExparserElement[] };
}

/** The node of a `<canvas type="2d">` element (one per element), or null for anything else. */
function nodeOf(element: ExparserElement | null | undefined): SimCanvas | null {
  if (!element || element.is !== 'canvas' || element.data?.type !== '2d') return null;
  let canvas = canvases.get(element);
  if (!canvas) {
    canvas = new SimCanvas(element.id ?? '');
    canvases.set(element, canvas);
  }
  return canvas;
}

interface QueuedField {
  selector: string;
  exparserNode: ExparserElement | 0 | null;
  isSelectSingle: boolean;
  fields: { node?: boolean };
}
interface SelectorQueryInternals {
  _queue: QueuedField[];
  _queueCallback: Array<((res: unknown) => void) | null>;
  exec(callback?: (res: unknown[]) => void): void;
}

/**
 * j-component's selector query knows no `node` field: answers it, for canvas elements, with their
 * simulated node (WeChat answers `node` for canvas, scroll-view and a few others; null here for the rest).
 * miniprogram-simulate registers `<canvas>` without properties, so its `type` is lost: registered again
 * with WeChat's properties.
 */
function answerNodeField() {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const jComponent = require('j-component') as { register(definition: Record<string, unknown>): string };
  jComponent.register({
    id: 'canvas',
    tagName: 'wx-canvas',
    template: '<slot/>',
    properties: { type: { type: String, value: '' }, canvasId: { type: String, value: '' }, disableScroll: { type: Boolean, value: false } },
  });
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const SelectorQuery = require('j-component/src/tool/selectorquery') as { prototype: SelectorQueryInternals & { __nodeField?: true } };
  const proto = SelectorQuery.prototype;
  if (proto.__nodeField) return;
  proto.__nodeField = true;
  const exec = proto.exec;
  proto.exec = function (this: SelectorQueryInternals, callback?: (res: unknown[]) => void) {
    const queue = [...this._queue];
    const callbacks = [...this._queueCallback];
    this._queueCallback = callbacks.map(() => null);
    exec.call(this, (res: unknown[]) => {
      queue.forEach((item, index) => {
        if (!item.fields.node || !item.exparserNode) return;
        const root = item.exparserNode.shadowRoot!;
        const elements = item.isSelectSingle ? [root.querySelector(item.selector)] : root.querySelectorAll(item.selector);
        const results = (item.isSelectSingle ? [res[index]] : (res[index] as unknown[])) as Array<Record<string, unknown> | null>;
        elements.filter(Boolean).forEach((element, i) => {
          if (results[i]) results[i]!.node = nodeOf(element);
        });
      });
      callbacks.forEach((cb, index) => cb?.call(this, res[index]));
      callback?.call(this, res);
    });
  };
}

export function wxCanvas(current: CanvasSession, { asyncApi }: { asyncApi(param: Callbacks | undefined, work: Promise<unknown>): Promise<unknown> | undefined }) {
  session = current;
  canvases = new WeakMap();
  drawn = [];
  exported = new Map();
  answerNodeField();

  async function canvasToTempFilePath({ canvas, fileType = 'png' }: ApiParam) {
    if (!(canvas instanceof SimCanvas)) throw { errMsg: 'canvasToTempFilePath:fail canvas is empty (a 2d canvas is exported with its node as `canvas`)' };
    const path = `wxfile://tmp/canvas-${exported.size + 1}.${fileType === 'jpg' ? 'jpg' : 'png'}`;
    exported.set(path, canvas.drawing());
    return { errMsg: 'canvasToTempFilePath:ok', tempFilePath: path };
  }

  return {
    canvasToTempFilePath: (param: ApiParam = {}) => asyncApi(param, current.track(canvasToTempFilePath(param))),
  };
}
