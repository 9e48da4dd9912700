/**
 * Staff's queue of incidents (incidents.ts): payments the code refused to settle on its own. Staff act
 * elsewhere (a refund through reviewRefund, a grant) and then mark the incident resolved with what they did.
 */
import { pageOf, readIfExists, type Database } from '../../server/database';
import type { IncidentView, ListIncidentsResponse, listIncidentsRequest, ResolveIncidentRequest, ResolveIncidentResponse } from '../contracts/orders-admin';
import type * as z from '../contracts/schema';
import { DomainError } from '../errors';
import { recordAudit, type StaffRef } from '../staff/audit';
import { incidentView } from './admin';
import { INCIDENTS, type Incident } from './incidents';

/** An incident with its resolution, once staff resolved it. */
type StoredIncident = Incident & Pick<IncidentView, 'resolvedAt' | 'resolvedBy' | 'resolveNote'>;

/** Incidents of a status, newest first, one page, in one request through the `status_createdAt` index. */
export async function listIncidents(db: Database, req: z.output<typeof listIncidentsRequest>): Promise<ListIncidentsResponse> {
  const { items, page, hasMore } = await pageOf(
    db
      .collection<StoredIncident>(INCIDENTS)
      .where({ status: req.status })
      .orderBy('createdAt', 'desc')
      .orderBy('_id', 'desc'),
    req,
  );
  return { incidents: items.map(incidentView), page, hasMore };
}

/**
 * Marks an incident resolved, with staff's note, in the audit log under its order number (so the order's
 * detail lists it). Resolving it again changes nothing. 6 requests: the role, then a transaction (begin,
 * the incident, its update, the audit entry, commit); 4 when it was resolved already.
 */
export async function resolveIncident(db: Database, staff: StaffRef, { incidentId, note }: ResolveIncidentRequest, now: Date): Promise<ResolveIncidentResponse> {
  return db.runTransaction(async (tx) => {
    const incident = await readIfExists<StoredIncident>(tx, INCIDENTS, incidentId);
    if (!incident) throw new DomainError('NOT_FOUND', '异常记录不存在');
    if (incident.status === 'resolved') return { incident: incidentView(incident), alreadyResolved: true };
    const resolution = { status: 'resolved' as const, resolvedAt: now, resolvedBy: staff, resolveNote: note };
    await tx.collection(INCIDENTS).doc(incidentId).update({ data: resolution });
    await recordAudit(
      tx,
      staff,
      { action: 'incidents.resolve', target: { kind: 'order', id: incident.outTradeNo }, summary: `处理异常（${incident.kind}）：${note}`, before: { status: 'open' }, after: { status: 'resolved', note } },
      now,
    );
    return { incident: incidentView({ ...incident, ...resolution }), alreadyResolved: false };
  });
}
