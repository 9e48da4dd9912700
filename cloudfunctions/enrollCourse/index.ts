import { enrollCourse } from '../../domain/access/course-grants';
import { enrollCourseRequest } from '../../domain/contracts/access';
import { defineFunction } from '../../server/handler';

/** The learner adds a free course to 我的课程. */
export const main = defineFunction({
  input: enrollCourseRequest,
  caller: 'learner',
  run: ({ courseId }, { caller, db, now }) => enrollCourse(db, caller.openid!, courseId, now),
});
