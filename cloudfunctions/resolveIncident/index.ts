import { resolveIncidentRequest } from '../../domain/contracts/orders-admin';
import { resolveIncident } from '../../domain/orders/incident-queue';
import { defineFunction } from '../../server/handler';

/** Staff mark an incident handled, saying what they did (recorded in the audit log). */
export const main = defineFunction({
  input: resolveIncidentRequest,
  caller: { staff: 'incidents.resolve' },
  run: (input, { caller, db, now }) => resolveIncident(db, caller.staff!, input, now),
});
