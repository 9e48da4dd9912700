/**
 * The schema library every contract uses: zod's tree-shakable "mini" build (about 20 KB in a function
 * bundle against 450 KB for classic zod), with its Simplified Chinese messages, since learners read them.
 */
import { config } from 'zod/mini';
import zhCN from 'zod/v4/locales/zh-CN.js';

config(zhCN());

// Re-exported member by member (not as one namespace object) so bundles keep only what they use.
export * from 'zod/mini';
