import { countStatsRequest } from '../../domain/contracts/dashboard';
import { countStats } from '../../domain/dashboard/stats';
import { defineFunction } from '../../server/handler';

/**
 * Counts the dashboard's figures every 10 minutes: the payments, refunds and new learners since the last run
 * into the day documents of `stats`, and each course's learners enrolled and completed (domain/dashboard/stats.ts).
 */
export const main = defineFunction({
  input: countStatsRequest,
  caller: 'platform',
  run: (_input, { db, now }) => countStats(db, now),
});
