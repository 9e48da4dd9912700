import { resolveReportRequest } from '../../domain/contracts/moderation';
import { resolveReport } from '../../domain/moderation/reports';
import { defineFunction } from '../../server/handler';

/** Staff take a reported or held item down, or keep it. */
export const main = defineFunction({
  input: resolveReportRequest,
  caller: { staff: 'reports.resolve' },
  run: (input, { caller, db, now }) => resolveReport(db, caller.staff!, input, now),
});
