import type { EntitlementSource } from '../access/entitlements';
import type { UserProfile } from './login';
import type { AdminOrderRow } from './orders-admin';
import { paging } from './paging';
import * as z from './schema';

/**
 * `searchLearners` (staff): learners, most recently seen first, one page; `keyword` matches an openid
 * exactly or by its beginning, or a nickname by its beginning.
 */
export const searchLearnersRequest = z.strictObject({
  keyword: z.optional(z.string().check(z.trim(), z.minLength(1, '请输入昵称或学员编号'), z.maxLength(64, '关键词最多 64 个字'))),
  ...paging,
});
export type SearchLearnersRequest = z.input<typeof searchLearnersRequest>;

/** A learner as the console lists them: what their profile stores. */
export type LearnerRow = UserProfile;
export interface SearchLearnersResponse {
  learners: LearnerRow[];
  page: number;
  hasMore: boolean;
}

/** `getLearner` (staff): one learner's profile, what they hold, their orders and how far they got. */
export const getLearnerRequest = z.strictObject({
  openid: z.string().check(z.minLength(1), z.maxLength(64), z.regex(/^[A-Za-z0-9_-]+$/, '学员编号格式不正确')),
});
export type GetLearnerRequest = z.input<typeof getLearnerRequest>;

/** A course or the membership the learner holds (or held: `status` revoked, or a membership expired). */
export interface LearnerEntitlementView {
  kind: 'course' | 'membership';
  courseId?: string;
  courseTitle?: string;
  status: 'active' | 'revoked' | 'expired';
  /** what gave it last: an order, a gift claimed, a staff grant (`by`: the staff uid) or a free enrollment */
  source?: EntitlementSource;
  /** when it was (last) granted */
  grantedAt: Date;
  expiresAt?: Date;
  revokedAt?: Date;
}

/** How far the learner got in one course, from their lesson records. */
export interface LearnerCourseProgress {
  courseId: string;
  courseTitle?: string;
  completedLessons: number;
  lessonCount?: number;
  /** share of the course's duration played, 0-100 */
  percent: number;
  /** when the learner last studied it */
  lastStudiedAt: Date;
}

export interface GetLearnerResponse {
  /** null for an openid that never logged in (orders or grants may still exist) */
  profile: UserProfile | null;
  entitlements: LearnerEntitlementView[];
  /** the newest 20 orders; `listOrders {openid}` pages through the rest. Absent for staff who may not read orders (a teacher) */
  orders?: AdminOrderRow[];
  hasMoreOrders: boolean;
  /** the courses studied, most recently studied first */
  progress: LearnerCourseProgress[];
}
