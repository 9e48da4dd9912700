import { listAuditRequest } from '../../domain/contracts/staff';
import { listAudit } from '../../domain/staff/audit';
import { defineFunction } from '../../server/handler';

/** The owner reads the audit log: every change an admin made (domain/staff/audit.ts). */
export const main = defineFunction({
  input: listAuditRequest,
  caller: { staff: 'audit.read' },
  run: (input, { db }) => listAudit(db, input),
});
