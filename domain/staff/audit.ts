/**
 * The audit log: every change an admin makes, who made it and when, with a summary of the item before and
 * after. Written in the transaction of the change itself, so a change is never without its entry (nor an
 * entry without its change); the owner reads it (`listAudit`).
 */
import { pageOf, type Database, type Transaction } from '../../server/database';
import type { AuditEntryView, listAuditRequest, ListAuditResponse } from '../contracts/staff';
import type * as z from '../contracts/schema';

export const AUDIT = 'audit';

/** Who acted: the staff member's uid, and their name as it was then. */
export interface StaffRef {
  uid: string;
  name: string;
}

export interface AuditEntry extends Omit<AuditEntryView, 'id'> {
  _id?: string;
}

/** Records a change, in its transaction. */
export async function recordAudit(tx: Transaction, by: StaffRef, entry: Pick<AuditEntry, 'action' | 'target' | 'summary' | 'before' | 'after'>, now: Date): Promise<void> {
  await tx.collection<AuditEntry>(AUDIT).add({ data: { by, ...entry, at: now } });
}

/** The log, newest first, one page in one request; of one item when `target` is given. */
export async function listAudit(db: Database, req: z.output<typeof listAuditRequest>): Promise<ListAuditResponse> {
  const { items, page, hasMore } = await pageOf(
    db
      .collection<AuditEntry & { _id: string }>(AUDIT)
      .where(req.targetId ? { 'target.id': req.targetId } : {})
      .orderBy('at', 'desc')
      .orderBy('_id', 'desc'),
    req,
  );
  return { entries: items.map(({ _id, ...entry }) => ({ id: _id, ...entry })), page, hasMore };
}
