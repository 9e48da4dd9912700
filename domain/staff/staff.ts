import type { Role } from './roles';

export const STAFF = 'staff';

/**
 * A member of the school's staff (`_id` = their CloudBase web user's uid, the console's sign-in): their name
 * as admins see it, their roles, and whether the account may act (the owner disables rather than deletes,
 * so the audit keeps its names).
 */
export interface StaffMember {
  _id: string;
  name: string;
  roles: Role[];
  active: boolean;
  /** the courses a teacher teaches: what their homework, check-in and learner screens show (domain/staff/scope.ts) */
  courseIds?: string[];
}
