import { getLearnerRequest } from '../../domain/contracts/learners';
import { getLearner } from '../../domain/users/learners';
import { allows } from '../../domain/staff/roles';
import { defineFunction } from '../../server/handler';

/**
 * One learner for staff: profile, courses held and why, progress per course, and their orders for staff who
 * may read orders; a teacher sees only a learner of their courses, and only those courses.
 */
export const main = defineFunction({
  input: getLearnerRequest,
  caller: { staff: 'learners.read' },
  run: (input, { caller, db, now }) => getLearner(db, input.openid, now, { withOrders: allows(caller.roles!, 'orders.read'), scope: caller.courseIds }),
});
