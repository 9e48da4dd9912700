/** Settings of the mini program that differ between deployments. */
export interface MiniProgramConfig {
  /**
   * CloudBase environment ID (云开发控制台 → 环境 ID). `undefined` uses the default environment of the
   * AppID, which is what a fresh checkout with its own AppID wants.
   */
  cloudEnv: string | undefined;
  /** Records visiting learners in the CloudBase console (用户管理). */
  traceUser: boolean;
  /**
   * Subscription message templates the learner is asked to accept, by purpose: the same ids as the
   * templates with that `purpose` in cloud.config.json (a test keeps them equal). The mini program cannot
   * read that file, and asking must happen on the learner's tap, before any function is called.
   */
  subscribeTemplates: { orderPaid: string; homeworkReviewed: string; liveReminder: string };
  /**
   * How often the player saves progress while playing, in seconds: `SAVE_INTERVAL_SEC` of
   * domain/learning/progress.ts (a test keeps them equal), on which the DB cost of playback rests.
   */
  progressSaveIntervalSec: number;
}

export const config: MiniProgramConfig = {
  cloudEnv: undefined,
  traceUser: true,
  subscribeTemplates: { orderPaid: 'order-paid', homeworkReviewed: 'homework-reviewed', liveReminder: 'live-reminder' },
  progressSaveIntervalSec: 120,
};
