import { sendRemindersRequest } from '../../domain/contracts/reminders';
import { sendReminders } from '../../domain/learning/reminders';
import { defineFunction } from '../../server/handler';

/**
 * Every 5 minutes: reminds the subscribers of each live lesson or camp day starting within 15 minutes, once
 * each (domain/learning/reminders.ts).
 */
export const main = defineFunction({
  input: sendRemindersRequest,
  caller: 'platform',
  run: (_input, { db, messages, now }) => sendReminders(db, messages, now),
});
