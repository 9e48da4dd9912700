/** One typed call per membership cloud function. */
import type { ListPlansRequest, ListPlansResponse } from '../../domain/contracts/membership';
import { callFunction, type Jsonified } from './cloud';

export type Plans = Jsonified<ListPlansResponse>;
export type Plan = Plans['plans'][number];

/** The membership plans on sale, and the learner's membership (a plan bought now extends it). */
export function listPlans(): Promise<Plans> {
  return callFunction<ListPlansRequest, ListPlansResponse>('listPlans', {});
}
