/**
 * 视频号 (WeChat Channels) lives, as WeChat's client APIs give them (base library 2.15.0). Neither API
 * answers a promise ("以 Promise 风格调用：不支持"), so both are wrapped here. The channel must belong to
 * the same subject as the AppID (or a linked one), or WeChat refuses.
 */

/** What WeChat says of a channel's latest live: 1 never live, 2 live now, 3 ended. */
export interface ChannelLiveInfo {
  feedId: string;
  nonceId: string;
  status: number;
}

/** The channel's current live, or its latest one when none is on. */
export function channelLiveInfo(finderUserName: string): Promise<ChannelLiveInfo> {
  return new Promise((resolve, reject) => {
    wx.getChannelsLiveInfo({
      finderUserName,
      success: (res) => resolve({ feedId: res.feedId, nonceId: res.nonceId, status: Number(res.status) }),
      fail: reject,
    });
  });
}

/** Opens the live in 视频号 (after WeChat asks the learner to confirm). Must follow a tap of the learner's. */
export function openChannelLive(finderUserName: string, live: { feedId: string; nonceId: string }): Promise<void> {
  return new Promise((resolve, reject) => {
    wx.openChannelsLive({ finderUserName, feedId: live.feedId, nonceId: live.nonceId, success: () => resolve(), fail: reject });
  });
}
