import type { ListReportsRequest, ListReportsResponse, ResolveReportRequest, ResolveReportResponse } from '@domain/contracts/moderation';
import { call } from './cloud';

export const listReports = (req: ListReportsRequest) => call<ListReportsResponse>('listReports', req);
export const resolveReport = (req: ResolveReportRequest) => call<ResolveReportResponse>('resolveReport', req);
