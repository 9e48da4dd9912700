import { getAdminCourseRequest } from '../../domain/contracts/catalog-admin';
import { getAdminCourse } from '../../domain/catalog/admin';
import { defineFunction } from '../../server/handler';

/** A course of any status, whole, with its lessons' content, for editing (domain/catalog/admin.ts). */
export const main = defineFunction({
  input: getAdminCourseRequest,
  caller: { staff: 'catalog.edit' },
  run: ({ courseId }, { db }) => getAdminCourse(db, courseId),
});
