/**
 * One typed call per access function a learner calls. Staff's `grantCourse` and `revokeGrant` are for the
 * console (a later issue), like `reviewRefund`, so they have no call here.
 */
import type { EnrollCourseRequest, EnrollCourseResponse } from '../../domain/contracts/access';
import { callFunction, type Jsonified } from './cloud';

/** The learner joins a free course: it is listed in 我的课程 from now on. Joining again answers the same. */
export function enrollCourse(courseId: string): Promise<Jsonified<EnrollCourseResponse>> {
  return callFunction<EnrollCourseRequest, EnrollCourseResponse>('enrollCourse', { courseId });
}
