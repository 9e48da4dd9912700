/**
 * WeChat content security (内容安全) through `cloud.openapi.security.msgSecCheck` and `mediaCheckAsync` v2,
 * typed (the SDK leaves the open APIs untyped). A function that checks lists them in its config.json.
 */
import type * as cloud from 'wx-server-sdk';

/** What WeChat makes of a text: publish it, hold it for a person to look at, or refuse it. */
export type Verdict = 'pass' | 'review' | 'risky';

/** Where the text appears, as msgSecCheck's `scene`: 1 a profile, 2 a comment, 3 a forum post, 4 a social log. */
export type TextScene = 1 | 2 | 3 | 4;

export interface ContentSecurity {
  /** WeChat's verdict on `text`, written by the learner `openid` for `scene`. */
  checkText(openid: string, text: string, scene: TextScene): Promise<Verdict>;
  /**
   * Asks WeChat to check a picture or a recording at `url` (reachable for a while: WeChat fetches it later);
   * answers the trace id its verdict will carry, pushed as `wxa_media_check` (domain/moderation/media.ts).
   */
  checkMedia(openid: string, url: string, kind: MediaKind, scene: TextScene): Promise<string>;
}

export type MediaKind = 'image' | 'audio';

type MsgSecCheck = (params: { openid: string; scene: number; version: 2; content: string }) => Promise<{ result?: { suggest?: string } }>;
type MediaCheckAsync = (params: { openid: string; scene: number; version: 2; mediaUrl: string; mediaType: number }) => Promise<{ traceId?: string }>;

/** mediaCheckAsync's media_type: 1 audio, 2 image. */
const MEDIA_TYPES: Record<MediaKind, number> = { audio: 1, image: 2 };

const VERDICTS: readonly string[] = ['pass', 'review', 'risky'];

/** Reads WeChat's verdict (`suggest`) from a check's result; anything unknown is held for a person rather than published. */
export function verdictOf(suggest: unknown): Verdict {
  return typeof suggest === 'string' && VERDICTS.includes(suggest) ? (suggest as Verdict) : 'review';
}

export function contentSecurity(sdk: typeof cloud): ContentSecurity {
  const api = (sdk as unknown as { openapi: { security: { msgSecCheck: MsgSecCheck; mediaCheckAsync: MediaCheckAsync } } }).openapi.security;
  return {
    async checkText(openid, text, scene) {
      const { result } = await api.msgSecCheck({ openid, scene, version: 2, content: text });
      return verdictOf(result?.suggest);
    },
    async checkMedia(openid, url, kind, scene) {
      const { traceId } = await api.mediaCheckAsync({ openid, scene, version: 2, mediaUrl: url, mediaType: MEDIA_TYPES[kind] });
      if (!traceId) throw new Error('mediaCheckAsync answered no trace id');
      return traceId;
    },
  };
}
