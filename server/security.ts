/**
 * WeChat content security (内容安全) through `cloud.openapi.security.msgSecCheck` v2, typed (the SDK leaves
 * the open APIs untyped). A function that checks lists `security.msgSecCheck` in its config.json.
 */
import type * as cloud from 'wx-server-sdk';

/** What WeChat makes of a text: publish it, hold it for a person to look at, or refuse it. */
export type Verdict = 'pass' | 'review' | 'risky';

/** Where the text appears, as msgSecCheck's `scene`: 1 a profile, 2 a comment, 3 a forum post, 4 a social log. */
export type TextScene = 1 | 2 | 3 | 4;

export interface ContentSecurity {
  /** WeChat's verdict on `text`, written by the learner `openid` for `scene`. */
  checkText(openid: string, text: string, scene: TextScene): Promise<Verdict>;
}

type MsgSecCheck = (params: { openid: string; scene: number; version: 2; content: string }) => Promise<{ result?: { suggest?: string } }>;

const VERDICTS: readonly string[] = ['pass', 'review', 'risky'];

export function contentSecurity(sdk: typeof cloud): ContentSecurity {
  return {
    async checkText(openid, text, scene) {
      const msgSecCheck = (sdk as unknown as { openapi: { security: { msgSecCheck: MsgSecCheck } } }).openapi.security.msgSecCheck;
      const { result } = await msgSecCheck({ openid, scene, version: 2, content: text });
      const suggest = result?.suggest ?? '';
      // An answer without a verdict we know is held for a person rather than published.
      return VERDICTS.includes(suggest) ? (suggest as Verdict) : 'review';
    },
  };
}
