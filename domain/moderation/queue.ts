/**
 * What waits for a person: items learners reported (举报) and items content security held. One `reports`
 * document per item (`item:<kind>:<publicId>`, the staff queue) and one per learner's report of it
 * (`report:<kind>:<publicId>:<openid>`, so each learner reports an item once).
 */
import { createHash } from 'node:crypto';
import type { Transaction } from '../../server/database';
import { readIfExists } from '../../server/database';
import type { ReportKind, ReportLine } from '../contracts/moderation';

export const REPORTS = 'reports';

/**
 * How others name a learner's item (a review, a check-in, a homework) without learning whose it is: its
 * document id holds the author's openid, which is never shown.
 */
export const publicIdOf = (docId: string) => createHash('sha256').update(`public-id:${docId}`).digest('base64url').slice(0, 16);

/** The queue's line of an item, as stored (`item:<kind>:<publicId>`). */
export interface QueuedItem extends ReportLine {
  _id: string;
  type: 'item';
  resolvedBy?: string;
  resolvedAt?: Date;
}

export const itemKey = (kind: ReportKind, itemId: string) => `item:${kind}:${itemId}`;

/** The queue's line of an item, if any, as it is written back (without its `_id`). */
export async function queuedItem(tx: Transaction, key: string): Promise<Omit<QueuedItem, '_id'> | null> {
  const stored = await readIfExists<QueuedItem>(tx, REPORTS, key);
  if (!stored) return null;
  const { _id: _key, ...line } = stored;
  return line;
}

/** The staff queue's line for `item`, with what content security held (written in the item's own transaction). */
export async function queueHeldItem(tx: Transaction, item: { kind: ReportKind; itemId: string; courseId: string; excerpt: string }, now: Date): Promise<void> {
  const key = itemKey(item.kind, item.itemId);
  const queued = await queuedItem(tx, key);
  const line: Omit<QueuedItem, '_id'> = queued
    ? { ...queued, heldBySecurity: true, hidden: true, status: 'open', lastAt: now }
    : { type: 'item', ...item, excerpt: item.excerpt.slice(0, 60), count: 0, reasons: {}, heldBySecurity: true, hidden: true, status: 'open', firstAt: now, lastAt: now };
  await tx.collection<Omit<QueuedItem, '_id'>>(REPORTS).doc(key).set({ data: line });
}
