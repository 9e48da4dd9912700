import { listCourseGroupsRequest } from '../../domain/contracts/groups';
import { listCourseGroups } from '../../domain/groups/read';
import { defineFunction } from '../../server/handler';

/** A course's open groups with seats left, for its page (domain/groups/read.ts). */
export const main = defineFunction({
  input: listCourseGroupsRequest,
  caller: 'learner',
  run: ({ courseId }, { db, now }) => listCourseGroups(db, courseId, now),
});
