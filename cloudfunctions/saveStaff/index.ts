import { saveStaffRequest } from '../../domain/contracts/staff';
import { saveStaff } from '../../domain/staff/members';
import { defineFunction } from '../../server/handler';

/** The owner adds a staff member or changes their roles (domain/staff/members.ts). */
export const main = defineFunction({
  input: saveStaffRequest,
  caller: { staff: 'staff.manage' },
  run: (input, { caller, db, now }) => saveStaff(db, caller.staff!, input, now),
});
