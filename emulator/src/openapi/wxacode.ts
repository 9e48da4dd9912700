import { toBuffer } from 'qrcode';
import { invalidArgs, WxError, type ApiCall, type WxReply } from './api';
import { appPages } from './config';

/**
 * `wxacode.getUnlimited`: a mini program code for a page and a `scene` (up to 32 characters), the way a
 * course or an invitation is shared as a poster. WeChat draws its round "sun code", which only WeChat
 * reads; the emulator draws a standard QR code of `<page>?scene=<encodeURIComponent(scene)>` instead, so
 * any scanner shows what a learner scanning it would open. PNG, `width` pixels wide as WeChat's.
 */

/** The characters WeChat allows in a scene (others must be encoded by the caller). */
const SCENE = /^[0-9A-Za-z!#$&'()*+,/:;=?@\-._~]+$/;
const MAX_SCENE = 32;
const WIDTH = { min: 280, max: 1280, default: 430 };

/** The text the emulator's code carries. */
const codeText = (page: string, scene: string) => `${page}?scene=${encodeURIComponent(scene)}`;

function colorByte(value: unknown): string {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 255) throw invalidArgs('line_color r, g and b must be 0-255');
  return n.toString(16).padStart(2, '0');
}

export async function getUnlimited({ params }: ApiCall): Promise<WxReply> {
  const scene = typeof params.scene === 'number' ? String(params.scene) : params.scene;
  if (typeof scene !== 'string' || !scene || scene.length > MAX_SCENE) throw new WxError(40169, 'invalid length for scene');
  if (!SCENE.test(scene)) throw invalidArgs('scene may hold only letters, digits and !#$&\'()*+,/:;=?@-._~');
  const pages = appPages();
  const page = params.page ?? pages[0];
  if (typeof page !== 'string' || page.startsWith('/') || page.includes('?')) throw new WxError(41030, 'invalid page');
  const envVersion = params.env_version ?? 'release';
  if (typeof envVersion !== 'string' || !['release', 'trial', 'develop'].includes(envVersion)) {
    throw invalidArgs('env_version must be release, trial or develop');
  }
  // WeChat checks the page against the released version unless told not to.
  if (params.check_path !== false && !pages.includes(page)) throw new WxError(41030, 'invalid page');
  const width = Math.min(WIDTH.max, Math.max(WIDTH.min, typeof params.width === 'number' ? params.width : WIDTH.default));
  const line = params.line_color as { r?: unknown; g?: unknown; b?: unknown } | undefined;
  const dark = params.auto_color !== true && line ? `#${colorByte(line.r)}${colorByte(line.g)}${colorByte(line.b)}ff` : '#000000ff';
  const png = await toBuffer(codeText(page, scene), {
    type: 'png',
    errorCorrectionLevel: 'M',
    width,
    color: { dark, light: params.is_hyaline === true ? '#00000000' : '#ffffffff' },
  });
  return { raw: png, contentType: 'image/png' };
}
