/** One typed call per group-buy (拼团) cloud function a learner uses. */
import type { GetGroupRequest, GetGroupResponse, ListCourseGroupsRequest, ListCourseGroupsResponse } from '../../domain/contracts/groups';
import { callFunction, type Jsonified } from './cloud';

export type GroupView = Jsonified<GetGroupResponse>['group'];
export type CourseGroup = Jsonified<ListCourseGroupsResponse>['groups'][number];

/** A group as its page shows it to the learner (from a share card, or after paying for a seat). */
export async function getGroup(groupId: string): Promise<GroupView> {
  return (await callFunction<GetGroupRequest, GetGroupResponse>('getGroup', { groupId })).group;
}

/** The open groups of a course with seats left, ending soonest first. */
export async function listCourseGroups(courseId: string): Promise<CourseGroup[]> {
  return (await callFunction<ListCourseGroupsRequest, ListCourseGroupsResponse>('listCourseGroups', { courseId })).groups;
}

/** The group page, which a share card opens too. */
export const groupPath = (groupId: string) => `/packages/growth/group/index?id=${groupId}`;
