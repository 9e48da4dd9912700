import { grantCourse } from '../../domain/access/course-grants';
import { grantCourseRequest } from '../../domain/contracts/access';
import { defineFunction } from '../../server/handler';

/** Staff give a learner a course without an order (a comp for a partner, a make-good). */
export const main = defineFunction({
  input: grantCourseRequest,
  caller: { staff: 'grants.manage' },
  run: (input, { caller, db, now }) => grantCourse(db, caller.staff!, input, now),
});
