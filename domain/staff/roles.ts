/**
 * Who on a school's staff may do what: the roles and what each may do, as data. A staff member is a CloudBase
 * web user (the console's sign-in) with a document in `staff` naming their roles; every admin function names
 * the action it performs, and the handler lets the caller through only when one of their roles allows it.
 */

export const ROLES = ['owner', 'editor', 'teacher', 'support'] as const;
export type Role = (typeof ROLES)[number];

/** The actions admin functions perform, each with the roles that may perform it. The owner may do everything. */
export const PERMISSIONS = {
  /** the list of courses of every status, to pick one (a grant, an order filter) */
  'catalog.read': ['owner', 'editor', 'teacher', 'support'],
  /** courses, lessons, lecturers, categories, banners, plans; publishing */
  'catalog.edit': ['owner', 'editor'],
  /** media uploads to storage */
  'media.upload': ['owner', 'editor'],
  /** coupons and campaigns */
  'campaigns.manage': ['owner', 'editor'],
  /** homework and check-ins: the queue, grading, hiding (a teacher: of the courses they teach) */
  'homework.review': ['owner', 'teacher'],
  /** the learners of a course and their progress (a teacher: of the courses they teach) */
  'learners.read': ['owner', 'teacher', 'support'],
  /** orders, their history and incidents */
  'orders.read': ['owner', 'support'],
  /** incidents (payments the code would not settle on its own): mark them handled */
  'incidents.resolve': ['owner', 'support'],
  /** refund requests: approve or refuse */
  'refunds.review': ['owner', 'support'],
  /** grant a course to a learner, or take a grant back */
  'grants.manage': ['owner', 'support'],
  /** reported and held content: hide or keep */
  'reports.resolve': ['owner', 'support'],
  /** promoters' withdrawal requests: mark paid once transferred, or refuse */
  'withdrawals.review': ['owner'],
  /** the dashboard's figures */
  'dashboard.read': ['owner', 'editor', 'support'],
  /** staff accounts and their roles */
  'staff.manage': ['owner'],
  /** the audit log of every admin change */
  'audit.read': ['owner'],
} as const satisfies Record<string, readonly Role[]>;

export type Action = keyof typeof PERMISSIONS;

/** Whether any of `roles` may perform `action`. */
export function allows(roles: readonly Role[], action: Action): boolean {
  const allowed: readonly Role[] = PERMISSIONS[action];
  return roles.some((role) => allowed.includes(role));
}

/**
 * Whether a teacher's course list limits `action` for a member with `roles`: when teacher is the only role of
 * theirs allowing it. A teacher who is also support keeps support's view of every learner, and the owner
 * sees everything.
 */
export function teacherScoped(roles: readonly Role[], action: Action): boolean {
  const allowed: readonly Role[] = PERMISSIONS[action];
  return roles.includes('teacher') && allowed.includes('teacher') && !roles.some((role) => role !== 'teacher' && allowed.includes(role));
}
