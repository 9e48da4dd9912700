/**
 * Mini-program codes (小程序码) through `cloud.openapi.wxacode.getUnlimited`, typed (the SDK leaves the open
 * APIs untyped). A function that draws them lists the API in its config.json.
 */
import type * as cloud from 'wx-server-sdk';

export interface MiniProgramCodes {
  /** A PNG code opening `page` (no leading slash) with `scene` (at most 32 characters) in its query. */
  unlimited(page: string, scene: string): Promise<Buffer>;
}

type GetUnlimited = (params: { page: string; scene: string; width: number; checkPath: boolean }) => Promise<{ buffer?: Buffer; contentType?: string }>;

export function miniProgramCodes(sdk: typeof cloud): MiniProgramCodes {
  const api = (sdk as unknown as { openapi: { wxacode: { getUnlimited: GetUnlimited } } }).openapi.wxacode;
  return {
    async unlimited(page, scene) {
      const { buffer } = await api.getUnlimited({ page, scene, width: 430, checkPath: true });
      if (!Buffer.isBuffer(buffer)) throw new Error('wxacode.getUnlimited answered no image');
      return buffer;
    },
  };
}
