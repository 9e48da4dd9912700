import { loginRequest } from '../../domain/contracts/login';
import { recordLogin } from '../../domain/users/profile';
import { defineFunction } from '../../server/handler';

export const main = defineFunction({
  input: loginRequest,
  caller: 'learner',
  run: (_input, { caller, db, now }) => recordLogin(db, caller.openid!, now),
});
