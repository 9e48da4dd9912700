/**
 * WeChat's privacy authorization (`__usePrivacyCheck__`) as the harness plays it: the first API that needs it
 * asks the listener the page registered with `wx.onNeedPrivacyAuthorization` to show its notice, and goes on
 * only if the learner agrees; once agreed, for the rest of the launch, nothing asks again. One state per
 * launch, shared by every API that needs it (wx/choose.ts, wx/album.ts).
 */
export interface PrivacySession {
  privacyListener?: (resolve: (result: unknown) => void) => void;
}

let agreed = false;

/** A new launch: nothing agreed yet. */
export function resetPrivacy() {
  agreed = false;
}

/** Whether the learner agreed (asking the page's notice if they have not yet); no listener: WeChat lets it through. */
export async function privacyAuthorized(session: PrivacySession): Promise<boolean> {
  const listener = session.privacyListener;
  if (agreed || !listener) return true;
  const answer = await new Promise<unknown>((resolve) => listener(resolve));
  agreed = (answer as { event?: string }).event === 'agree';
  return agreed;
}
