import { listReportsRequest } from '../../domain/contracts/moderation';
import { listReports } from '../../domain/moderation/reports';
import { defineFunction } from '../../server/handler';

/** Staff's queue of reported and held items. */
export const main = defineFunction({
  input: listReportsRequest,
  caller: { staff: 'reports.resolve' },
  run: (input, { db }) => listReports(db, input),
});
