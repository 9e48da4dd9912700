/** Settings of the mini program that differ between deployments. */
export interface MiniProgramConfig {
  /**
   * CloudBase environment ID (云开发控制台 → 环境 ID). `undefined` uses the default environment of the
   * AppID, which is what a fresh checkout with its own AppID wants.
   */
  cloudEnv: string | undefined;
  /** Records visiting learners in the CloudBase console (用户管理). */
  traceUser: boolean;
}

export const config: MiniProgramConfig = {
  cloudEnv: undefined,
  traceUser: true,
};
