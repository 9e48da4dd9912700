import type { GetDashboardRequest, GetDashboardResponse } from '@domain/contracts/dashboard';
import { call } from './cloud';

export const getDashboard = (req: GetDashboardRequest) => call<GetDashboardResponse>('getDashboard', req);
