/**
 * `wx.getChannelsLiveInfo` and `wx.openChannelsLive` for the mini-program harness, answering as WeChat does
 * for the 视频号 (WeChat Channels) lives a test describes with `setChannelLive`: status 1 (the channel has
 * never gone live), 2 (live now: feedId and nonceId are the current live's) or 3 (ended: the latest
 * live's). A channel no test described is an unknown id (errCode 1416100). Neither API returns a promise
 * (WeChat's "以 Promise 风格调用：不支持"): only the callbacks answer. Every call is recorded.
 */

export interface ChannelLive {
  feedId: string;
  nonceId: string;
  description: string;
  /** 1 never live, 2 live now, 3 ended */
  status: 1 | 2 | 3;
  headUrl: string;
  nickname: string;
}

type Callbacks = { success?: (res: unknown) => void; fail?: (err: unknown) => void; complete?: (res: unknown) => void };
export type ChannelsApi = 'getChannelsLiveInfo' | 'openChannelsLive';

let lives = new Map<string, ChannelLive>();
let calls: Array<{ api: ChannelsApi; options: Record<string, unknown> }> = [];

/** What WeChat knows of channel `finderUserName` from now on (until the next launch). */
export function setChannelLive(finderUserName: string, live: Partial<ChannelLive> & Pick<ChannelLive, 'status'>) {
  lives.set(finderUserName, {
    feedId: live.status === 1 ? '' : `export/feed-${finderUserName}`,
    nonceId: live.status === 1 ? '' : `nonce-${finderUserName}`,
    description: '',
    headUrl: 'https://wx.qlogo.cn/finderhead/demo',
    nickname: finderUserName,
    ...live,
  });
}

/** The options of every call the page made to one of these APIs since the launch. */
export function channelsCalls(api: ChannelsApi): Array<Record<string, unknown>> {
  return calls.filter((c) => c.api === api).map((c) => c.options);
}

/** What the harness lends: tracking, so that `settle()` waits for the answers. */
export interface ChannelsSession {
  track<T>(work: Promise<T>): Promise<T>;
}

export function wxChannels(session: ChannelsSession) {
  /** Callbacks run after the call returns, as WeChat's do. */
  const answer = (param: Callbacks, outcome: { ok: true; res: Record<string, unknown> } | { ok: false; err: Record<string, unknown> }) => {
    void session.track(
      new Promise<void>((done) =>
        setTimeout(() => {
          if (outcome.ok) param.success?.(outcome.res);
          else param.fail?.(outcome.err);
          param.complete?.(outcome.ok ? outcome.res : outcome.err);
          done();
        }, 0),
      ),
    );
  };
  lives = new Map();
  calls = [];
  const record = (api: ChannelsApi, param: Record<string, unknown> & Callbacks) => {
    const { success: _s, fail: _f, complete: _c, ...options } = param;
    calls.push({ api, options });
  };
  return {
    getChannelsLiveInfo(param: Record<string, unknown> & Callbacks & { finderUserName?: string }) {
      record('getChannelsLiveInfo', param);
      const live = lives.get(String(param.finderUserName ?? ''));
      if (!live) return answer(param, { ok: false, err: { errMsg: 'getChannelsLiveInfo:fail 非法的视频号id', errCode: 1416100 } });
      answer(param, { ok: true, res: { errMsg: 'getChannelsLiveInfo:ok', ...live } });
    },
    openChannelsLive(param: Record<string, unknown> & Callbacks & { finderUserName?: string }) {
      record('openChannelsLive', param);
      if (!lives.has(String(param.finderUserName ?? ''))) return answer(param, { ok: false, err: { errMsg: 'openChannelsLive:fail 非法的视频号id', errCode: 1416100 } });
      answer(param, { ok: true, res: { errMsg: 'openChannelsLive:ok' } });
    },
  };
}
