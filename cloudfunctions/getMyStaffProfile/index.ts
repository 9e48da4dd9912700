import { getMyStaffProfileRequest } from '../../domain/contracts/staff';
import { defineFunction } from '../../server/handler';

/** The console's first call after sign-in: the staff member's name and roles, which pick the menus it shows. */
export const main = defineFunction({
  input: getMyStaffProfileRequest,
  caller: { staff: 'member' },
  run: async (_input, { caller }) => ({ ...caller.staff!, roles: caller.roles! }),
});
