import { id } from './ids';
import * as z from './schema';

const openid = z.string().check(z.minLength(1), z.maxLength(64), z.regex(/^[A-Za-z0-9_-]+$/, '学员编号格式不正确'));
const note = (required: string) => z.string().check(z.trim(), z.minLength(1, required), z.maxLength(200, '说明最多 200 字'));

/**
 * `grantCourse` (staff): a course given to a learner without an order (a comp for a partner, a make-good).
 * The same staff member granting it again changes nothing.
 */
export const grantCourseRequest = z.strictObject({ openid, courseId: id, note: note('请填写赠送原因') });
export type GrantCourseRequest = z.infer<typeof grantCourseRequest>;
export interface GrantCourseResponse {
  openid: string;
  courseId: string;
  /** this staff member had granted it already: nothing changed */
  alreadyGranted: boolean;
}

/** `revokeGrant` (staff): takes back a course granted by staff (any staff member's grant); never a purchase or a gift. */
export const revokeGrantRequest = z.strictObject({ openid, courseId: id, note: note('请填写收回原因') });
export type RevokeGrantRequest = z.infer<typeof revokeGrantRequest>;
export interface RevokeGrantResponse {
  openid: string;
  courseId: string;
  /** it was revoked already: nothing changed */
  alreadyRevoked: boolean;
}

/** `enrollCourse` (learner): a free course joins the caller's courses (我的课程). Enrolling again changes nothing. */
export const enrollCourseRequest = z.strictObject({ courseId: id });
export type EnrollCourseRequest = z.infer<typeof enrollCourseRequest>;
export interface EnrollCourseResponse {
  courseId: string;
  /** the caller held the course already (enrolled before, or through another source): nothing changed */
  alreadyEnrolled: boolean;
}
