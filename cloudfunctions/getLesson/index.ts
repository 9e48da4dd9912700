import { getLessonRequest } from '../../domain/contracts/catalog';
import { getLesson } from '../../domain/catalog/lessons';
import { defineFunction } from '../../server/handler';

export const main = defineFunction({
  input: getLessonRequest,
  caller: 'any',
  run: ({ lessonId, quality }, { caller, db, files, now }) => getLesson(db, files, lessonId, caller.openid, now, quality),
});
