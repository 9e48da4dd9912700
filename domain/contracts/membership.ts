import * as z from './schema';

/** `listPlans`: the membership plans on sale, and the caller's membership. */
export const listPlansRequest = z.strictObject({});
export type ListPlansRequest = z.infer<typeof listPlansRequest>;

export interface PlanView {
  id: string;
  title: string;
  subtitle: string;
  /** fen */
  amount: number;
  /** the struck-through list price, when on sale */
  originalAmount?: number;
  durationDays: number;
}

export interface ListPlansResponse {
  /** in the school's order */
  plans: PlanView[];
  /** the caller's active membership (a plan bought now extends it), or null */
  membership: { expiresAt?: Date } | null;
}
