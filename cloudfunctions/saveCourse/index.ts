import { saveCourseRequest } from '../../domain/contracts/catalog-admin';
import { saveCourse } from '../../domain/catalog/admin';
import { defineFunction } from '../../server/handler';

/** Creates a course (a draft) or replaces its information (domain/catalog/admin.ts). */
export const main = defineFunction({
  input: saveCourseRequest,
  caller: { staff: 'catalog.edit' },
  run: (input, { caller, db, now }) => saveCourse(db, caller.staff!, input, now),
});
