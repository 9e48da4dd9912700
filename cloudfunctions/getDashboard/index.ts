import { getDashboardRequest } from '../../domain/contracts/dashboard';
import { readDashboard } from '../../domain/dashboard/read';
import { defineFunction } from '../../server/handler';

/** The console's dashboard: revenue, orders and refunds by day, sales and completion by course, learners (domain/dashboard). */
export const main = defineFunction({
  input: getDashboardRequest,
  caller: { staff: 'dashboard.read' },
  run: (input, { db, now }) => readDashboard(db, input.days, now),
});
