/**
 * What a learner uploads (homework and check-in pictures): picked with `wx.chooseMedia` (behind WeChat's
 * privacy authorization), checked for size here as on the server, and uploaded under the learner's own
 * folder, the only place the storage rules let them write (homework/<openid>/).
 */
import { ServiceError } from './cloud';
import { transport } from './transport/index';
import { login } from './user';

/** The server refuses bigger files (WeChat checks media of at most 10 MB). */
const MAX_BYTES = 10 * 1024 * 1024;

let openid: Promise<string> | undefined;

/** The learner's openid, which names their folder: asked once (login), asked again after a failure. */
function myOpenid(): Promise<string> {
  openid ??= login().then(
    (r) => r.profile.openid,
    (e: unknown) => {
      openid = undefined;
      throw e;
    },
  );
  return openid;
}

/** Lets the learner pick up to `count` pictures; answers their local paths, none when they cancel. */
export async function choosePictures(count: number): Promise<string[]> {
  if (count <= 0) return [];
  let picked: WechatMiniprogram.ChooseMediaSuccessCallbackResult;
  try {
    picked = await wx.chooseMedia({ count, mediaType: ['image'], sizeType: ['compressed'] });
  } catch {
    return [];
  }
  const tooBig = picked.tempFiles.filter((f) => f.size > MAX_BYTES);
  if (tooBig.length) void wx.showToast({ title: '图片不能超过 10MB，已跳过较大的图片', icon: 'none' });
  return picked.tempFiles.filter((f) => f.size <= MAX_BYTES).map((f) => f.tempFilePath);
}

/** Uploads local files under the learner's folder (`homework/<openid>/<purpose>/...`); answers their file IDs, in order. */
export async function uploadMine(purpose: 'homework' | 'checkin', paths: string[]): Promise<string[]> {
  const me = await myOpenid();
  const stamp = Date.now();
  return Promise.all(
    paths.map(async (filePath, i) => {
      const ext = /\.(\w+)$/.exec(filePath)?.[1] ?? 'jpg';
      try {
        return await transport().uploadFile(`homework/${me}/${purpose}/${stamp}-${i}.${ext}`, filePath);
      } catch (e) {
        throw new ServiceError('NETWORK', '图片上传失败，请检查网络后重试', e);
      }
    }),
  );
}
