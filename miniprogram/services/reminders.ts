/**
 * Reminders before a course's live lessons and camp days (the long-term `live-reminder` message): WeChat asks
 * the learner to accept the template, then `subscribeReminder` tells the server which course to remind them of.
 */
import type { SubscribeReminderRequest, SubscribeReminderResponse } from '../../domain/contracts/reminders';
import { config } from '../config';
import { callFunction, type Jsonified } from './cloud';
import { transport } from './transport/index';

/** Records that the learner, who accepted the template, wants the course's reminders (they must be able to study it). */
export function subscribeReminder(courseId: string): Promise<Jsonified<SubscribeReminderResponse>> {
  return callFunction<SubscribeReminderRequest, SubscribeReminderResponse>('subscribeReminder', { courseId });
}

/**
 * - subscribed: accepted, and recorded for the course
 * - declined: the learner refused (or turned subscription messages off), or this WeChat cannot ask
 */
export type ReminderAnswer = 'subscribed' | 'declined';

/**
 * Asks for the reminder, then records it: call it from the learner's tap (WeChat shows the dialog only then),
 * once per tap. A failure to record throws a `ServiceError` the page can show.
 */
export async function askForReminders(courseId: string): Promise<ReminderAnswer> {
  const tmplId = config.subscribeTemplates.liveReminder;
  try {
    const answer = await transport().requestSubscribeMessage([tmplId]);
    if (answer[tmplId] !== 'accept') return 'declined';
  } catch {
    return 'declined';
  }
  await subscribeReminder(courseId);
  return 'subscribed';
}
