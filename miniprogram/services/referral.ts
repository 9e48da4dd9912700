/**
 * The referral a share carries (domain/distribution/share.ts): a share card's path has `ref=<code>` in its
 * query; a mini-program code opens its page with `scene`, URL-encoded, holding `r=<code>` and, for a
 * course's page, `c=<courseId>`. The course page and the home page read it on load and bind the learner to
 * the sharer (bindReferrer) once per code while the mini program runs, in the background: a share never
 * blocks or fails the page it opens.
 */
import { bindReferrer } from './distribution';

/** What a share's code looks like (the server's bindReferrer schema). */
const CODE = /^[A-Za-z0-9]{4,16}$/;

export interface Referral {
  /** the sharer's code */
  code?: string;
  /** the course a mini-program code opens (`c` of its scene) */
  courseId?: string;
}

/** The `key=value&...` pairs of a decoded scene. */
function sceneParams(scene: string): Record<string, string> {
  let decoded = scene;
  try {
    decoded = decodeURIComponent(scene);
  } catch {
    // Not encoded (or malformed): read as is.
  }
  const params: Record<string, string> = {};
  for (const pair of decoded.split('&')) {
    const at = pair.indexOf('=');
    if (at > 0) params[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return params;
}

/** The referral in a page's query: `ref` of a share card, or `scene` of a mini-program code. */
export function referralOf(query: Record<string, string | undefined>): Referral {
  const scene = query.scene ? sceneParams(query.scene) : {};
  const code = query.ref ?? scene.r;
  return {
    ...(code && CODE.test(code) ? { code } : {}),
    ...(scene.c ? { courseId: scene.c } : {}),
  };
}

/** The codes bound since launch, kept on the App object, which outlives the pages. */
function boundCodes(): Set<string> {
  const app = getApp<{ referralCodes?: Set<string> }>();
  if (!app.referralCodes) app.referralCodes = new Set();
  return app.referralCodes;
}

/**
 * Binds the learner to the sharer of the referral in `query`, once per code while the mini program runs.
 * Fire and forget: the outcome (bound, kept, ignored) changes nothing on the page, and a failure is retried
 * the next time a share with that code is opened. Answers the referral read.
 */
export function bindReferralOf(query: Record<string, string | undefined>): Referral {
  const referral = referralOf(query);
  const { code } = referral;
  if (code) {
    const bound = boundCodes();
    if (!bound.has(code)) {
      bound.add(code);
      bindReferrer(code).catch(() => bound.delete(code));
    }
  }
  return referral;
}
