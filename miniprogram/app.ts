import { config } from './config';
import { saveAllRecorded } from './services/learning';

App({
  onLaunch() {
    wx.cloud.init({ env: config.cloudEnv, traceUser: config.traceUser });
    // What the player could not save before WeChat closed it last time.
    void saveAllRecorded();
  },
});
