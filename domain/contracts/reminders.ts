import { id } from './ids';
import * as z from './schema';

/**
 * `subscribeReminder`: the learner, who accepted the `live-reminder` template in the mini program, asks to be
 * reminded before each live lesson or camp day of a course they may study.
 */
export const subscribeReminderRequest = z.strictObject({ courseId: id });
export type SubscribeReminderRequest = z.input<typeof subscribeReminderRequest>;
export interface SubscribeReminderResponse {
  subscribed: true;
}

/** `sendReminders`: the timer's run (the platform's timer event carries fields of its own, ignored). */
export const sendRemindersRequest = z.object({});

/** What a run of `sendReminders` did, per subscriber met. */
export interface SendRemindersReport {
  /** live lessons and camp days starting within the lead */
  sessions: number;
  /** told by subscription message and in-app message */
  sent: number;
  /** told in-app only: WeChat refused the subscription message (the learner turned it off) */
  inAppOnly: number;
  /** told by an earlier (or a concurrent) run */
  alreadySent: number;
  /** subscribed, but may no longer study the course (refunded, membership lapsed) */
  notEntitled: number;
  /** sessions left for the next run, the budget spent */
  unfinished: number;
}
