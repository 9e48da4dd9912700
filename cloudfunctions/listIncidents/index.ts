import { listIncidentsRequest } from '../../domain/contracts/orders-admin';
import { listIncidents } from '../../domain/orders/incident-queue';
import { defineFunction } from '../../server/handler';

/** Staff's queue of incidents: payments the code would not settle on its own, newest first. */
export const main = defineFunction({
  input: listIncidentsRequest,
  caller: { staff: 'orders.read' },
  run: (input, { db }) => listIncidents(db, input),
});
