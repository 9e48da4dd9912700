import { listAdminCoursesRequest } from '../../domain/contracts/catalog-admin';
import { listAdminCourses } from '../../domain/catalog/admin';
import { defineFunction } from '../../server/handler';

/** The console's course list (every status, a keyword, most recently edited first): any staff member picks a course from it. */
export const main = defineFunction({
  input: listAdminCoursesRequest,
  caller: { staff: 'catalog.read' },
  run: (input, { db }) => listAdminCourses(db, input),
});
