import { setCourseStatusRequest } from '../../domain/contracts/catalog-admin';
import { setCourseStatus } from '../../domain/catalog/admin';
import { defineFunction } from '../../server/handler';

/** Publishes a course, takes it offline or back to draft; learners see it at once (domain/catalog/admin.ts). */
export const main = defineFunction({
  input: setCourseStatusRequest,
  caller: { staff: 'catalog.edit' },
  run: (input, { caller, db, now }) => setCourseStatus(db, caller.staff!, input, now),
});
