/** One typed call per cloud function about the learner. */
import type { LoginRequest, LoginResponse } from '../../domain/contracts/login';
import { callFunction, type Jsonified } from './cloud';

export type Profile = Jsonified<LoginResponse>['profile'];

/** Records the current learner's visit (creating them on the first one) and returns their profile. */
export function login(): Promise<Jsonified<LoginResponse>> {
  return callFunction<LoginRequest, LoginResponse>('login', {});
}
