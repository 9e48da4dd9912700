import { revokeGrant } from '../../domain/access/course-grants';
import { revokeGrantRequest } from '../../domain/contracts/access';
import { defineFunction } from '../../server/handler';

/** Staff take back a course that staff granted. */
export const main = defineFunction({
  input: revokeGrantRequest,
  caller: { staff: 'grants.manage' },
  run: (input, { caller, db, now }) => revokeGrant(db, caller.staff!, input, now),
});
