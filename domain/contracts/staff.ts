import type { Action } from '../staff/roles';
import { paging } from './paging';
import * as z from './schema';

/** What an audit entry is about. */
export interface AuditTarget {
  kind: 'order' | 'entitlement' | 'homework' | 'report';
  id: string;
}

/** One change an admin made. */
export interface AuditEntryView {
  id: string;
  by: { uid: string; name: string };
  action: Action;
  target: AuditTarget;
  /** what happened, in the words an owner reads */
  summary: string;
  /** the fields that changed, as they were and as they are */
  before?: Record<string, unknown>;
  after: Record<string, unknown>;
  at: Date;
}

/** `listAudit` (the owner): the log, newest first; of one item when `targetId` is given. */
export const listAuditRequest = z.strictObject({
  targetId: z.optional(z.string().check(z.minLength(1), z.maxLength(160))),
  ...paging,
});
export type ListAuditRequest = z.input<typeof listAuditRequest>;
export interface ListAuditResponse {
  entries: AuditEntryView[];
  page: number;
  hasMore: boolean;
}
