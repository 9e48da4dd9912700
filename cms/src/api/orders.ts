import type {
  ExportOrdersRequest,
  ExportOrdersResponse,
  GetOrderAdminResponse,
  ListIncidentsRequest,
  ListIncidentsResponse,
  ListOrdersRequest,
  ListOrdersResponse,
  ResolveIncidentRequest,
  ResolveIncidentResponse,
} from '@domain/contracts/orders-admin';
import { call } from './cloud';

export const listOrders = (req: ListOrdersRequest) => call<ListOrdersResponse>('listOrders', req);
export const getOrderAdmin = (orderId: string) => call<GetOrderAdminResponse>('getOrderAdmin', { orderId });
export const exportOrders = (req: ExportOrdersRequest) => call<ExportOrdersResponse>('exportOrders', req);
export const listIncidents = (req: ListIncidentsRequest) => call<ListIncidentsResponse>('listIncidents', req);
export const resolveIncident = (req: ResolveIncidentRequest) => call<ResolveIncidentResponse>('resolveIncident', req);
