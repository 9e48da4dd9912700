import { listCoursesRequest } from '../../domain/contracts/catalog';
import { listCourses } from '../../domain/catalog/courses';
import { defineFunction } from '../../server/handler';

export const main = defineFunction({
  input: listCoursesRequest,
  caller: 'any',
  run: (input, { db }) => listCourses(db, input),
});
