import type { Incident, IncidentKind } from '../orders/incidents';
import type { OrderCoupon, OrderItem, OrderPayment, OrderRefund, OrderStatus, OrderTransition, PaymentProviderName } from '../orders/model';
import { id } from './ids';
import { paging } from './paging';
import * as z from './schema';
import type { AuditEntryView } from './staff';

/** Every order status, for the console's filter (checked against `OrderStatus` both ways below). */
export const ORDER_STATUSES = ['pending', 'paid', 'closed', 'needsRefund', 'refundRequested', 'refunding', 'refunded'] as const satisfies readonly OrderStatus[];
// Fails to compile when a status is added to the model and not here.
const _allStatuses: Exclude<OrderStatus, (typeof ORDER_STATUSES)[number]> extends never ? true : false = true;
void _allStatuses;

const openid = z.string().check(z.minLength(1), z.maxLength(64), z.regex(/^[A-Za-z0-9_-]+$/, '学员编号格式不正确'));
/** A Beijing calendar day as the console's date picker gives it; `from` and `to` both count (inclusive). */
const day = z.string().check(z.regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, '日期格式应为 YYYY-MM-DD'));

/** What the console filters orders by; every field optional, combined with "and". */
export const orderFilters = {
  /** the learner */
  openid: z.optional(openid),
  /** the course bought (for the buyer or as a gift) */
  courseId: z.optional(id),
  status: z.optional(z.enum(ORDER_STATUSES, '订单状态不存在')),
  /** created on or after this Beijing day */
  from: z.optional(day),
  /** created on or before this Beijing day */
  to: z.optional(day),
  /** the order number (= the provider's outTradeNo) */
  orderNumber: z.optional(id),
};
const checkRange = z.refine<{ from?: string; to?: string }>((r) => !r.from || !r.to || r.from <= r.to, { message: '开始日期不能晚于结束日期', path: ['from'] });

/** `listOrders` (staff): orders matching the filters, newest first, one page. */
export const listOrdersRequest = z.strictObject({ ...orderFilters, ...paging }).check(checkRange);
export type ListOrdersRequest = z.input<typeof listOrdersRequest>;

/** An order in the console's list (and the export's rows). */
export interface AdminOrderRow {
  /** the order number (= outTradeNo) */
  id: string;
  openid: string;
  /** the learner's nickname, when they have a profile */
  nickname?: string;
  item: Pick<OrderItem, 'kind' | 'title'> & { courseId?: string; planId?: string };
  /** fen */
  amount: number;
  status: OrderStatus;
  /** the payment rail the order was placed on */
  rail: PaymentProviderName;
  createdAt: Date;
  paidAt?: Date;
}
export interface ListOrdersResponse {
  orders: AdminOrderRow[];
  page: number;
  hasMore: boolean;
}

/** `getOrderAdmin` (staff): one order with everything that happened to it. */
export const getOrderAdminRequest = z.strictObject({ orderId: id });
export type GetOrderAdminRequest = z.input<typeof getOrderAdminRequest>;
export interface GetOrderAdminResponse {
  order: AdminOrderRow & {
    originalAmount?: number;
    /** the coupon the order used, and what it took off */
    coupon?: OrderCoupon;
    closedAt?: Date;
    /** the item as ordered, whole (refund rule shown at purchase, membership days...) */
    itemDetail: OrderItem;
    /** the provider's record of the payment (transaction id, amount charged, when) */
    payment?: OrderPayment;
    /** the refund: its current attempt, staff's decision and the last failed attempt */
    refund?: OrderRefund;
  };
  /** every status change, oldest first, as the order records them */
  history: OrderTransition[];
  /** what the payment callbacks refused to settle on their own for this order number */
  incidents: IncidentView[];
  /** staff's changes to the order, newest first (the first 20) */
  audit: AuditEntryView[];
}

/** `exportOrders` (staff): the orders matching the filters as a CSV file, newest first, capped. */
export const exportOrdersRequest = z.strictObject(orderFilters).check(checkRange);
export type ExportOrdersRequest = z.input<typeof exportOrdersRequest>;
export interface ExportOrdersResponse {
  /** a name to save it under, e.g. 订单导出-20261206-1530.csv */
  filename: string;
  /** UTF-8 with a byte order mark (Excel reads Chinese correctly), CRLF line ends, a Chinese header */
  csv: string;
  rows: number;
  /** more orders matched than an export holds: only the newest `rows` are in the file */
  truncated: boolean;
  /** for the creator, when truncated */
  message?: string;
}

/** An incident as staff see and resolve it. */
export interface IncidentView extends Omit<Incident, '_id'> {
  id: string;
  kind: IncidentKind;
  resolvedAt?: Date;
  resolvedBy?: { uid: string; name: string };
  resolveNote?: string;
}

/** `listIncidents` (staff): incidents by status (open unless asked), newest first, one page. */
export const listIncidentsRequest = z.strictObject({
  status: z._default(z.enum(['open', 'resolved'] as const), 'open'),
  ...paging,
});
export type ListIncidentsRequest = z.input<typeof listIncidentsRequest>;
export interface ListIncidentsResponse {
  incidents: IncidentView[];
  page: number;
  hasMore: boolean;
}

/** `resolveIncident` (staff): marks an incident handled, with what was done (a refund made, nothing to do...). */
export const resolveIncidentRequest = z.strictObject({
  incidentId: z.string().check(z.minLength(1), z.maxLength(100), z.regex(/^[A-Za-z0-9_-]+:[A-Za-z]+$/, '异常编号格式不正确')),
  note: z.string().check(z.trim(), z.minLength(1, '请填写处理说明'), z.maxLength(200, '处理说明最多 200 字')),
});
export type ResolveIncidentRequest = z.input<typeof resolveIncidentRequest>;
export interface ResolveIncidentResponse {
  incident: IncidentView;
  /** it was resolved already: nothing changed */
  alreadyResolved: boolean;
}
