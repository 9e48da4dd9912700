import { config } from './config';
import { pruneDownloads } from './services/downloads';
import { saveAllRecorded } from './services/learning';
import { initTransport, type AppWithTransport } from './services/transport/index';

App<AppWithTransport>({
  onLaunch() {
    initTransport(this, { env: config.cloudEnv, traceUser: config.traceUser });
    // What the player could not save before WeChat closed it last time.
    void saveAllRecorded();
    // Offline copies whose access ended (a refund, a revoked grant) are deleted; offline, the next launch checks.
    void pruneDownloads();
  },
});
