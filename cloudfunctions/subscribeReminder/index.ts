import { subscribeReminderRequest } from '../../domain/contracts/reminders';
import { subscribeReminder } from '../../domain/learning/reminders';
import { defineFunction } from '../../server/handler';

/** The learner asks to be reminded before a course's live lessons or camp days (domain/learning/reminders.ts). */
export const main = defineFunction({
  input: subscribeReminderRequest,
  caller: 'learner',
  run: ({ courseId }, { caller, db, now }) => subscribeReminder(db, caller.openid!, courseId, now),
});
