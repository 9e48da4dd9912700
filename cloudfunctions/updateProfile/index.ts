import { updateProfileRequest } from '../../domain/contracts/profile';
import { updateProfile } from '../../domain/users/edit';
import { defineFunction } from '../../server/handler';

/** The learner changes their nickname or avatar (domain/users/edit.ts). */
export const main = defineFunction({
  input: updateProfileRequest,
  caller: 'learner',
  run: (input, { caller, db, files, security, now }) => updateProfile(db, files, security, caller.openid!, input, now),
});
