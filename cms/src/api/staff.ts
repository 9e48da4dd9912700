import type { ListAuditRequest, ListAuditResponse, ListStaffResponse, SaveStaffRequest, SaveStaffResponse } from '@domain/contracts/staff';
import { call } from './cloud';

export const listStaff = () => call<ListStaffResponse>('listStaff');
export const saveStaff = (req: SaveStaffRequest) => call<SaveStaffResponse>('saveStaff', req);
export const listAudit = (req: ListAuditRequest) => call<ListAuditResponse>('listAudit', req);
