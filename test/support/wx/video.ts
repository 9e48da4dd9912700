/**
 * `wx.createVideoContext` for the mini-program harness: the player's controls a page drives (seek, play,
 * pause, speed...), recorded in order for tests to assert on, as a learner would see the video respond.
 */
export type VideoCall = { video: string; method: string; args: unknown[] };

let calls: VideoCall[] = [];

/** Every call the page made on a video context since the launch, in order. */
export function videoCalls(): VideoCall[] {
  return [...calls];
}

const METHODS = ['play', 'pause', 'stop', 'seek', 'playbackRate', 'requestFullScreen', 'exitFullScreen', 'sendDanmu', 'showStatusBar', 'hideStatusBar'];

export function wxVideo() {
  calls = [];
  return {
    createVideoContext(video: string) {
      return Object.fromEntries(METHODS.map((method) => [method, (...args: unknown[]) => void calls.push({ video, method, args })]));
    },
  };
}
