import { downloadsToKeep } from '../../domain/access/downloads';
import { checkDownloadsRequest } from '../../domain/contracts/downloads';
import { defineFunction } from '../../server/handler';

/** Which offline copies the learner may keep; the mini program deletes the rest (domain/access/downloads.ts). */
export const main = defineFunction({
  input: checkDownloadsRequest,
  caller: 'learner',
  run: async ({ lessonIds }, { caller, db, now }) => ({ keep: await downloadsToKeep(db, caller.openid!, lessonIds, now) }),
});
