import type { Access } from '../access/entitlements';
import type { Course } from '../catalog/model';

/** What a learner would pay for a course now, and why. Prices always come from here, never the client. */
export interface Quote {
  /** fen */
  amount: number;
  /** the struck-through list price, when on sale */
  originalAmount?: number;
  reason: 'list' | 'free' | 'owned';
}

export function quote(course: Pick<Course, 'price'>, access: Access): Quote {
  if (access !== null && access !== 'free') return { amount: 0, reason: 'owned' };
  if (course.price.amount === 0) return { amount: 0, reason: 'free' };
  return { amount: course.price.amount, ...(course.price.originalAmount ? { originalAmount: course.price.originalAmount } : {}), reason: 'list' };
}
