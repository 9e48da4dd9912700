/**
 * 分享海报: a poster of the course (cover, title, price) with a mini-program code carrying the learner's
 * referral (getShareCode: its page opens the course and binds whoever scans it to the learner), drawn on a
 * `<canvas type="2d">`, and 保存到相册. Saving goes through WeChat's privacy notice (the popup inside this
 * component), then the album scope: asked once by WeChat's own dialog; once denied, a modal offers the
 * settings page, where the learner may turn it on.
 */
import { messageOf } from '../../../../../services/cloud';
import { getShareCode } from '../../../../../services/distribution';
import { transport } from '../../../../../services/transport/index';

type Context2D = WechatMiniprogram.CanvasRenderingContext.CanvasRenderingContext2D;

/** The poster's size in CSS pixels (the canvas is drawn at the device's pixel ratio). */
const WIDTH = 300;
const HEIGHT = 480;
const PADDING = 16;
const COVER_HEIGHT = Math.round((WIDTH * 9) / 16);
const CODE_SIZE = 96;
const TITLE_FONT = 18;
const TITLE_LINE = 26;
const ALBUM = 'scope.writePhotosAlbum';

/** How wide a character is in ems: CJK and full-width ones 1, others about half (no measureText needed). */
const emsOf = (ch: string) => (/[\u2e80-\uffef]/.test(ch) ? 1 : 0.55);

/** The title in at most `maxLines` lines of `width` px at `fontSize`, the last one ending with … if cut. */
export function wrapTitle(title: string, width: number, fontSize: number, maxLines: number): string[] {
  const lines: string[] = [];
  let line = '';
  let used = 0;
  const chars = Array.from(title);
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i]!;
    const w = emsOf(ch) * fontSize;
    if (used + w > width && line) {
      if (lines.length === maxLines - 1) {
        lines.push(`${Array.from(line).slice(0, -1).join('')}…`);
        return lines;
      }
      lines.push(line);
      line = '';
      used = 0;
    }
    line += ch;
    used += w;
  }
  if (line) lines.push(line);
  return lines;
}

/** A URL a canvas image can load: a cloud file's temporary URL, or the address as it is. */
async function loadableUrl(src: string): Promise<string> {
  return src.startsWith('cloud://') ? transport().tempFileUrl(src) : src;
}

function loadImage(canvas: WechatMiniprogram.Canvas, src: string): Promise<WechatMiniprogram.Image> {
  return new Promise((resolve, reject) => {
    const image = canvas.createImage();
    image.onload = () => resolve(image);
    image.onerror = () => reject(new Error(`image failed: ${src}`));
    image.src = src;
  });
}

/** Draws `image` over the box, cropped to fill it (as `<image mode="aspectFill">`). */
function drawCover(ctx: Context2D, image: WechatMiniprogram.Image, x: number, y: number, w: number, h: number) {
  const { width, height } = image;
  if (!width || !height) {
    ctx.drawImage(image, x, y, w, h);
    return;
  }
  const scale = Math.max(w / width, h / height);
  const sw = w / scale;
  const sh = h / scale;
  ctx.drawImage(image, (width - sw) / 2, (height - sh) / 2, sw, sh, x, y, w, h);
}

interface PosterContent {
  title: string;
  priceText: string;
  cover: WechatMiniprogram.Image | null;
  code: WechatMiniprogram.Image;
}

function paint(ctx: Context2D, { title, priceText, cover, code }: PosterContent) {
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, WIDTH, HEIGHT);
  if (cover) drawCover(ctx, cover, 0, 0, WIDTH, COVER_HEIGHT);
  else {
    ctx.fillStyle = '#f3f3f3';
    ctx.fillRect(0, 0, WIDTH, COVER_HEIGHT);
  }

  ctx.fillStyle = '#1f2329';
  ctx.font = `bold ${TITLE_FONT}px sans-serif`;
  ctx.textBaseline = 'top';
  let y = COVER_HEIGHT + PADDING;
  for (const line of wrapTitle(title, WIDTH - 2 * PADDING, TITLE_FONT, 2)) {
    ctx.fillText(line, PADDING, y);
    y += TITLE_LINE;
  }
  if (priceText) {
    ctx.fillStyle = '#e34d59';
    ctx.font = 'bold 22px sans-serif';
    ctx.fillText(priceText, PADDING, y + 6);
  }

  const codeY = HEIGHT - PADDING - CODE_SIZE;
  ctx.fillStyle = '#e7e7e7';
  ctx.fillRect(PADDING, codeY - PADDING, WIDTH - 2 * PADDING, 1);
  ctx.drawImage(code, WIDTH - PADDING - CODE_SIZE, codeY, CODE_SIZE, CODE_SIZE);
  ctx.fillStyle = '#1f2329';
  ctx.font = '15px sans-serif';
  ctx.fillText('长按识别小程序码', PADDING, codeY + 28);
  ctx.fillStyle = '#8f959e';
  ctx.font = '12px sans-serif';
  ctx.fillText('和我一起学这门课', PADDING, codeY + 54);
}

/** A wx API's promise that answers its failure instead of throwing (`{ errMsg }`). */
const settled = <T>(work: Promise<T>) => work.then((ok) => ({ ok, failed: undefined }), (failed: { errMsg?: string }) => ({ ok: undefined, failed }));

/** The canvas drawn on, kept on the instance once the poster is ready. */
type PosterInstance = { canvas?: WechatMiniprogram.Canvas };

/** `wx.requirePrivacyAuthorize` (callbacks only): whether the learner agreed to the privacy notice, asked if not yet. */
const privacyAgreed = () =>
  new Promise<boolean>((resolve) => {
    if (typeof wx.requirePrivacyAuthorize !== 'function') resolve(true);
    else wx.requirePrivacyAuthorize({ success: () => resolve(true), fail: () => resolve(false) });
  });

Component({
  properties: {
    courseId: { type: String, value: '' },
    title: { type: String, value: '' },
    cover: { type: String, value: '' },
    /** what anyone pays for the course: ¥9.9 */
    priceText: { type: String, value: '' },
  },
  data: {
    status: 'drawing' as 'drawing' | 'ready' | 'error',
    errorMessage: '',
    saving: false,
    width: WIDTH,
    height: HEIGHT,
  },
  lifetimes: {
    attached() {
      void this.draw();
    },
  },
  methods: {
    noop() {},

    canvasNode(): Promise<WechatMiniprogram.Canvas> {
      return new Promise((resolve, reject) => {
        this.createSelectorQuery()
          .select('#poster-canvas')
          .fields({ node: true, size: true })
          .exec((res: Array<{ node?: WechatMiniprogram.Canvas } | null>) => {
            const node = res[0]?.node;
            if (node) resolve(node);
            else reject(new Error('no canvas'));
          });
      });
    },

    /** Reads the code and the canvas, loads the images, and draws the poster. */
    async draw() {
      const self = this as unknown as PosterInstance;
      const { courseId, title, cover, priceText } = this.data as unknown as { courseId: string; title: string; cover: string; priceText: string };
      this.setData({ status: 'drawing', errorMessage: '' });
      try {
        const [share, canvas] = await Promise.all([getShareCode(courseId), this.canvasNode()]);
        // A cover the learner may not read (storage rules) or that fails to load: a plain block instead.
        const coverImage = cover ? loadableUrl(cover).then((url) => loadImage(canvas, url)).catch(() => null) : Promise.resolve(null);
        const codeImage = loadImage(canvas, share.url).catch(() => {
          throw new Error('code');
        });
        const [code, coverLoaded] = await Promise.all([codeImage, coverImage]);
        const ratio = typeof wx.getWindowInfo === 'function' ? wx.getWindowInfo().pixelRatio : 2;
        canvas.width = WIDTH * ratio;
        canvas.height = HEIGHT * ratio;
        const ctx = canvas.getContext('2d');
        ctx.scale(ratio, ratio);
        paint(ctx, { title, priceText, cover: coverLoaded, code });
        self.canvas = canvas;
        this.setData({ status: 'ready' });
      } catch (e) {
        this.setData({ status: 'error', errorMessage: messageOf(e, '海报生成失败，请稍后重试') });
      }
    },

    onRetry() {
      void this.draw();
    },

    onClose() {
      this.triggerEvent('close');
    },

    /** Whether the album may be written: the scope asked once by WeChat; once denied, the settings page. */
    async albumAllowed(): Promise<boolean> {
      const { ok: setting } = await settled(wx.getSetting({}));
      const state = setting?.authSetting[ALBUM as keyof WechatMiniprogram.AuthSetting];
      if (state === true) return true;
      if (state === undefined && !(await settled(wx.authorize({ scope: ALBUM }))).failed) return true;
      const { ok: modal } = await settled(
        wx.showModal({ title: '无法保存到相册', content: '需要你允许“保存到相册”，才能把海报保存到手机', confirmText: '去设置', cancelText: '取消' }),
      );
      if (!modal?.confirm) return false;
      const { ok: opened } = await settled(wx.openSetting({}));
      return opened?.authSetting[ALBUM as keyof WechatMiniprogram.AuthSetting] === true;
    },

    /** 保存到相册: privacy notice, the album scope, then the canvas exported and saved. */
    async onSave() {
      const self = this as unknown as PosterInstance;
      if (this.data.saving || this.data.status !== 'ready' || !self.canvas) return;
      this.setData({ saving: true });
      try {
        if (!(await privacyAgreed())) {
          void wx.showToast({ title: '同意隐私保护提示后才能保存海报', icon: 'none' });
          return;
        }
        if (!(await this.albumAllowed())) return;
        const { ok: file } = await settled(wx.canvasToTempFilePath({ canvas: self.canvas, fileType: 'png' } as WechatMiniprogram.CanvasToTempFilePathOption));
        if (!file) {
          void wx.showToast({ title: '海报生成失败，请稍后重试', icon: 'none' });
          return;
        }
        const { failed } = await settled(wx.saveImageToPhotosAlbum({ filePath: file.tempFilePath }));
        if (!failed) void wx.showToast({ title: '已保存到相册', icon: 'success' });
        else if (!/cancel/.test(failed.errMsg ?? '')) void wx.showToast({ title: '保存失败，请稍后重试', icon: 'none' });
      } finally {
        this.setData({ saving: false });
      }
    },
  },
});
