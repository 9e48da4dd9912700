import { listMyCourses } from '../../domain/access/my-courses';
import { listMyCoursesRequest } from '../../domain/contracts/catalog';
import { defineFunction } from '../../server/handler';

export const main = defineFunction({
  input: listMyCoursesRequest,
  caller: 'learner',
  run: (req, { caller, db, now }) => listMyCourses(db, caller.openid!, req, now),
});
