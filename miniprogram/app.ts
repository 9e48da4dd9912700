import { config } from './config';

App({
  onLaunch() {
    wx.cloud.init({ env: config.cloudEnv, traceUser: config.traceUser });
  },
});
