/**
 * Group-buy (拼团, issue 12): the group page a share card opens, a course's open groups, and the console's
 * list. Starting or joining a group is `createOrder` with `startGroup` or `groupId`.
 */
import type { GroupStatus } from '../groups/model';
import { id } from './ids';
import { paging } from './paging';
import * as z from './schema';

export const GROUP_STATUSES = ['open', 'complete', 'failed'] as const satisfies readonly GroupStatus[];

/** A member as other learners see them: a nickname and an avatar, never an openid. */
export interface GroupMemberView {
  nickname: string;
  avatarUrl?: string;
  leader: boolean;
  joinedAt: Date;
}

/** A group as its page shows it to the viewer. */
export interface GroupView {
  id: string;
  courseId: string;
  title: string;
  cover?: string;
  size: number;
  /** fen each member pays */
  amount: number;
  status: GroupStatus;
  members: GroupMemberView[];
  seatsLeft: number;
  createdAt: Date;
  expiresAt: Date;
  completedAt?: Date;
  failedAt?: Date;
  viewer: {
    /** the viewer holds a seat (paid); `orderId` is their order */
    member: boolean;
    orderId?: string;
    /** whether the viewer may pay for a seat now, and why not (in words for them) when not */
    canJoin: boolean;
    why?: string;
  };
}

/** `getGroup` (a learner, from a share card). */
export const getGroupRequest = z.strictObject({ groupId: id });
export type GetGroupRequest = z.input<typeof getGroupRequest>;
export interface GetGroupResponse {
  group: GroupView;
}

/** `listCourseGroups` (a learner, on a course's page): open groups of the course with seats left, ending soonest first. */
export const listCourseGroupsRequest = z.strictObject({ courseId: id });
export type ListCourseGroupsRequest = z.input<typeof listCourseGroupsRequest>;
export interface CourseGroupView {
  id: string;
  leader: Pick<GroupMemberView, 'nickname' | 'avatarUrl'>;
  seatsLeft: number;
  expiresAt: Date;
}
export interface ListCourseGroupsResponse {
  groups: CourseGroupView[];
}

/** `listGroups` (staff with `orders.read`): groups (of one status, of one course), newest first. */
export const listGroupsRequest = z.strictObject({
  status: z.optional(z.enum(GROUP_STATUSES, '状态不存在')),
  courseId: z.optional(id),
  ...paging,
});
export type ListGroupsRequest = z.input<typeof listGroupsRequest>;
export interface AdminGroupRow {
  id: string;
  courseId: string;
  title: string;
  size: number;
  amount: number;
  status: GroupStatus;
  /** the members' orders, in seat order */
  seats: Array<{ openid: string; nickname: string; orderId: string; joinedAt: Date }>;
  createdAt: Date;
  expiresAt: Date;
  completedAt?: Date;
  failedAt?: Date;
}
export interface ListGroupsResponse {
  groups: AdminGroupRow[];
  page: number;
  hasMore: boolean;
}

/** `settleGroups` (a timer): fails the groups whose window ended short and gives every member's payment back. */
export const settleGroupsRequest = z.object({});
export interface SettleGroupsReport {
  failed: number;
  refunds: number;
}
