import { id } from './ids';
import * as z from './schema';

/** How many downloads one check answers: more than a phone keeps (the mini program stores up to 200 MB). */
export const MAX_CHECKED_DOWNLOADS = 100;

/**
 * `checkDownloads` (learner): which of the lessons kept on the phone the learner may still keep offline.
 * The mini program deletes the others (a refund, a revoked grant, a lapsed membership).
 */
export const checkDownloadsRequest = z.strictObject({
  lessonIds: z.array(id).check(z.minLength(1, '没有要检查的下载'), z.maxLength(MAX_CHECKED_DOWNLOADS, `一次最多检查 ${MAX_CHECKED_DOWNLOADS} 个下载`)),
});
export type CheckDownloadsRequest = z.input<typeof checkDownloadsRequest>;
export interface CheckDownloadsResponse {
  /** the lessons of the request still downloadable by the learner; every other one is to be deleted */
  keep: string[];
}
