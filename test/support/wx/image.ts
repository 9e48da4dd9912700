/**
 * The built-in `<image>` as WeChat runs it: once its `src` is set, it loads the picture and fires `load`
 * (detail: the picture's width and height) or `error` (detail: errMsg), which TDesign's t-image and
 * t-avatar wait for to drop their loading state. j-component's `image` is an empty element that never
 * loads and fires neither.
 *
 * Sources: http(s) URLs and cloud:// file IDs (made a URL by the storage gateway as the learner, as the
 * client does, so storage rules apply) over the network; `wxfile://` paths in the learner's files and
 * absolute paths in the code package (or a chosen temp file) on the phone. The loaded picture is shown
 * as WeChat's renderer does: a background image sized by `mode`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { jComponent } from '../exparser';
import { diskPathOf, fetchBytes } from './files';
import { postJson } from './http';

export interface ImageSession {
  readonly gatewayUrl: string;
  readonly openid: string;
  readonly online: boolean;
  track<T>(work: Promise<T>): Promise<T>;
}

interface ImageCaller {
  readonly data: { src: string; mode: string };
  readonly _exparserNode: { $$?: HTMLElement };
  triggerEvent(name: string, detail: unknown): void;
}


/** The phone the page runs on (one launched app at a time: `wx` is global). */
let current: { session: ImageSession; packageRoot: string } | undefined;

export function useImageSession(session: ImageSession, packageRoot: string) {
  current = { session, packageRoot };
}

/** WeChat's renderer draws the picture as a background: `mode` → CSS background size and position. */
const BACKGROUND: Record<string, string> = {
  scaleToFill: 'background-size: 100% 100%',
  aspectFit: 'background-size: contain; background-position: center',
  aspectFill: 'background-size: cover; background-position: center',
  widthFix: 'background-size: 100% 100%',
  heightFix: 'background-size: 100% 100%',
};

/** Replaces miniprogram-simulate's `image` (an empty slot) with one that loads its `src`. */
export function registerImage() {
  jComponent.register({
    id: 'image',
    tagName: 'wx-image',
    template: '<slot/>',
    properties: {
      src: { type: String, value: '' },
      mode: { type: String, value: 'scaleToFill' },
      lazyLoad: { type: Boolean, value: false },
    },
    observers: {
      src(this: ImageCaller, src: string) {
        if (!current || !src) return;
        const { session, packageRoot } = current;
        const element = this._exparserNode.$$;
        void session.track(
          bytesOf(src, session, packageRoot).then(
            ({ bytes, url }) => {
              if (this.data.src !== src) return;
              element?.replaceChildren(picture(url, this.data.mode));
              this.triggerEvent('load', sizeOf(bytes));
            },
            (e: Error) => {
              if (this.data.src !== src) return;
              element?.replaceChildren();
              this.triggerEvent('error', { errMsg: e.message });
            },
          ),
        );
      },
    },
  });
}

function picture(url: string, mode: string) {
  const div = document.createElement('div');
  div.setAttribute('style', `width: 100%; height: 100%; background-repeat: no-repeat; background-image: url("${url}"); ${BACKGROUND[mode] ?? ''}`);
  return div;
}

/** The picture's bytes and a URL a browser can show it from. */
async function bytesOf(src: string, session: ImageSession, packageRoot: string): Promise<{ bytes: Buffer; url: string }> {
  if (/^wxfile:\/\//.test(src) || isAbsolute(src)) {
    const file = diskPathOf(session.openid, src) ?? [join(packageRoot, src), src].find(existsSync);
    if (!file || !existsSync(file)) throw new Error(`GET ${src} 404 (Not Found)`);
    const bytes = readFileSync(file);
    return { bytes, url: `data:image;base64,${bytes.toString('base64')}` };
  }
  if (!session.online) throw new Error(`GET ${src} net::ERR_INTERNET_DISCONNECTED`);
  const url = src.startsWith('cloud://') ? await tempUrlOf(src, session) : src;
  const { status, bytes } = await fetchBytes(url).catch((e: Error) => {
    throw new Error(`GET ${src} ${e.message}`);
  });
  if (status !== 200) throw new Error(`GET ${src} ${status}`);
  return { bytes, url };
}

async function tempUrlOf(fileID: string, session: ImageSession): Promise<string> {
  const { body } = await postJson<{ fileList?: Array<{ tempFileURL?: string; status?: number; errMsg?: string }> }>(
    `${session.gatewayUrl}/gateway/storage/getTempFileURL`,
    { fileList: [fileID], openid: session.openid },
  );
  const file = body.fileList?.[0];
  if (!file?.tempFileURL || file.status) throw new Error(`GET ${fileID} 404 (${file?.errMsg ?? 'Not Found'})`);
  return file.tempFileURL;
}

/** Width and height from a PNG, GIF or JPEG header (0 × 0 for another format: WeChat still shows it). */
function sizeOf(bytes: Buffer): { width: number; height: number } {
  if (bytes.length > 24 && bytes.readUInt32BE(0) === 0x89504e47) return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
  if (bytes.length > 10 && bytes.toString('ascii', 0, 3) === 'GIF') return { width: bytes.readUInt16LE(6), height: bytes.readUInt16LE(8) };
  if (bytes[0] === 0xff && bytes[1] === 0xd8) {
    for (let at = 2; at + 9 < bytes.length; at += 2 + bytes.readUInt16BE(at + 2)) {
      const marker = bytes[at + 1]!;
      // Start-of-frame markers (not DHT, JPG or DAC) carry the size.
      if (bytes[at] === 0xff && marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker)) {
        return { width: bytes.readUInt16BE(at + 7), height: bytes.readUInt16BE(at + 5) };
      }
    }
  }
  return { width: 0, height: 0 };
}
