import { getStudySummaryRequest } from '../../domain/contracts/learning';
import { studySummary } from '../../domain/learning/summary';
import { defineFunction } from '../../server/handler';

/** What 我的 shows about the learner's studying (domain/learning/summary.ts). */
export const main = defineFunction({
  input: getStudySummaryRequest,
  caller: 'learner',
  run: (_input, { caller, db, now }) => studySummary(db, caller.openid!, now),
});
