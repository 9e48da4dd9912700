import { listStaffRequest } from '../../domain/contracts/staff';
import { listStaff } from '../../domain/staff/members';
import { defineFunction } from '../../server/handler';

/** The owner's list of the school's staff and their roles. */
export const main = defineFunction({
  input: listStaffRequest,
  caller: { staff: 'staff.manage' },
  run: (_input, { db }) => listStaff(db),
});
