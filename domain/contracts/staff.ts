import { ROLES, type Action, type Role } from '../staff/roles';
import { id } from './ids';
import { paging } from './paging';
import * as z from './schema';

/** What an audit entry is about. */
export interface AuditTarget {
  kind: 'order' | 'entitlement' | 'homework' | 'report' | 'review' | 'checkin' | 'staff' | 'course' | 'lecturer' | 'category' | 'banner' | 'plan' | 'coupon' | 'settings' | 'withdrawal';
  id: string;
}

/** One change an admin made. */
export interface AuditEntryView {
  id: string;
  by: { uid: string; name: string };
  action: Action;
  target: AuditTarget;
  /** what happened, in the words an owner reads */
  summary: string;
  /** the fields that changed, as they were and as they are */
  before?: Record<string, unknown>;
  after: Record<string, unknown>;
  at: Date;
}

/** `listAudit` (the owner): the log, newest first; of one item when `targetId` is given. */
export const listAuditRequest = z.strictObject({
  targetId: z.optional(z.string().check(z.minLength(1), z.maxLength(160))),
  ...paging,
});
export type ListAuditRequest = z.input<typeof listAuditRequest>;
export interface ListAuditResponse {
  entries: AuditEntryView[];
  page: number;
  hasMore: boolean;
}

/** A staff member as the owner manages them. */
export interface StaffView {
  uid: string;
  name: string;
  roles: Role[];
  active: boolean;
  /** the courses a teacher teaches (their homework, check-ins and learners); absent when none were ever given */
  courseIds?: string[];
}

/** `listStaff` (the owner): the school's staff, by name. */
export const listStaffRequest = z.strictObject({});
export type ListStaffRequest = z.input<typeof listStaffRequest>;
export interface ListStaffResponse {
  staff: StaffView[];
}

/** The most courses one teacher teaches. */
export const MAX_TAUGHT = 50;

/**
 * `saveStaff` (the owner): adds a staff member (`uid`: the CloudBase user the owner created in 用户管理) or
 * changes one's name, roles, the courses they teach (a teacher sees only those courses' homework, check-ins
 * and learners) or whether the account may act.
 */
export const saveStaffRequest = z.strictObject({
  uid: z.string().check(z.minLength(1, '请填写用户 ID'), z.maxLength(64), z.regex(/^[A-Za-z0-9_-]+$/, '用户 ID 格式不正确')),
  name: z.string().check(z.trim(), z.minLength(1, '请填写姓名'), z.maxLength(20, '姓名最多 20 个字')),
  roles: z
    .array(z.enum(ROLES, '角色不存在'))
    .check(z.minLength(1, '请至少选择一个角色'), z.refine((roles) => new Set(roles).size === roles.length, '角色不能重复')),
  active: z.boolean(),
  courseIds: z.optional(
    z.array(id).check(z.maxLength(MAX_TAUGHT, `最多选择 ${MAX_TAUGHT} 门课程`), z.refine((ids) => new Set(ids).size === ids.length, '课程不能重复')),
  ),
});
export type SaveStaffRequest = z.input<typeof saveStaffRequest>;
export interface SaveStaffResponse {
  staff: StaffView;
  /** false: the member was added now */
  existed: boolean;
}

/** `getMyStaffProfile` (any staff member): who the console is signed in as, and what their roles allow. */
export const getMyStaffProfileRequest = z.strictObject({});
export type GetMyStaffProfileRequest = z.input<typeof getMyStaffProfileRequest>;
export interface GetMyStaffProfileResponse {
  uid: string;
  name: string;
  roles: Role[];
}
