import { getCourseCouponsRequest } from '../../domain/contracts/coupons';
import { getCourseCoupons } from '../../domain/coupons/course';
import { defineFunction } from '../../server/handler';

/** What the learner may claim and use for a course, priced by the pricing rules (domain/coupons/course.ts). */
export const main = defineFunction({
  input: getCourseCouponsRequest,
  caller: 'learner',
  run: ({ courseId }, { caller, db, now }) => getCourseCoupons(db, caller.openid!, courseId, now),
});
