import { getCourseRequest } from '../../domain/contracts/catalog';
import { getCourseDetail } from '../../domain/catalog/courses';
import { defineFunction } from '../../server/handler';

export const main = defineFunction({
  input: getCourseRequest,
  caller: 'any',
  run: ({ courseId }, { caller, db, now }) => getCourseDetail(db, courseId, caller.openid, now),
});
