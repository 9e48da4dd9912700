import type { OrderItem, OrderStatus } from '../orders/model';
import type { OrderView } from './orders';
import { paging } from './paging';
import { id } from './ids';
import * as z from './schema';


/**
 * The refund side of an order as its learner sees it (`OrderView.refund`, on the order page), so the
 * page shows the button, the rule or the reason why not without knowing the rule itself. Absent on
 * orders that took no money (pending, closed).
 */
export interface OrderRefundView {
  /** the learner may ask for a refund now */
  eligible: boolean;
  /** why not, for the learner (e.g. 已超过购买后 7 天的退款期限); absent when eligible */
  ineligibleReason?: string;
  /** the course's refund rule as shown before purchase (when the order is still within reach of it) */
  rule?: string;
  /** fen that goes (or went) back */
  amount: number;
  /** once asked: the learner's words, or staff's reason for a refund they started */
  reason?: string;
  requestedAt?: Date;
  /** staff's answer; `note` is written for the learner */
  decision?: { approved: boolean; note?: string; at: Date };
  refundedAt?: Date;
}

/** `requestRefund`: the learner asks for their paid order's money back, within the course's refund rule. */
export const requestRefundRequest = z.strictObject({
  orderId: id,
  reason: z.string().check(z.trim(), z.minLength(1, '请填写退款原因'), z.maxLength(200, '退款原因最多 200 字')),
});
export type RequestRefundRequest = z.infer<typeof requestRefundRequest>;
export interface RequestRefundResponse {
  order: OrderView;
}

/** The statuses staff work through: requests to review, money that bought nothing, refunds under way. */
export const STAFF_REFUND_STATUSES = ['refundRequested', 'needsRefund', 'refunding'] as const satisfies readonly OrderStatus[];

/** An order waiting for (or going through) a refund, as staff review it. */
export interface RefundRequestView {
  orderId: string;
  /** the learner */
  openid: string;
  item: OrderItem;
  status: OrderStatus;
  /** fen the learner paid (what a refund gives back) */
  paidAmount?: number;
  createdAt: Date;
  paidAt?: Date;
  refund?: {
    reason: string;
    requestedAt: Date;
    requestedBy: 'learner' | 'staff' | 'system';
    /** share of the course completed when the learner asked (0-1) */
    consumed?: number;
    outRefundNo: string;
    decision?: { by: string; at: Date; approved: boolean; note?: string };
    /** the last attempt the provider refused or failed */
    failure?: { at: Date; detail: string };
  };
}

/** `listRefundRequests` (staff): orders in one of `STAFF_REFUND_STATUSES`, oldest first, one page. */
export const listRefundRequestsRequest = z.strictObject({
  status: z._default(z.enum(STAFF_REFUND_STATUSES), 'refundRequested'),
  ...paging,
});
export type ListRefundRequestsRequest = z.input<typeof listRefundRequestsRequest>;
export interface ListRefundRequestsResponse {
  requests: RefundRequestView[];
  page: number;
  hasMore: boolean;
}

/**
 * `reviewRefund` (staff): approve or reject a learner's request; approving a paid or needsRefund order
 * refunds it without a request. A rejection needs a note: the learner reads it.
 */
export const reviewRefundRequest = z.strictObject({
  orderId: id,
  approve: z.boolean(),
  note: z.optional(z.string().check(z.trim(), z.maxLength(200, '说明最多 200 字'))),
});
export type ReviewRefundRequest = z.infer<typeof reviewRefundRequest>;
/**
 * - rejected: the order is paid again; the learner keeps access
 * - submitted: the provider accepted the refund; its notification completes it
 * - queued: the provider could not be reached; reconciliation (settleOrders) asks it again
 * - returned: the provider refused the refund; the order went back where it was, with an incident
 */
export type ReviewOutcome = 'rejected' | 'submitted' | 'queued' | 'returned';
export interface ReviewRefundResponse {
  order: RefundRequestView;
  outcome: ReviewOutcome;
}
