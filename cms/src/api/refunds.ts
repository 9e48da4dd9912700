import type { ListRefundRequestsRequest, ListRefundRequestsResponse, ReviewRefundRequest, ReviewRefundResponse } from '@domain/contracts/refunds';
import { call } from './cloud';

export const listRefundRequests = (req: ListRefundRequestsRequest) => call<ListRefundRequestsResponse>('listRefundRequests', req);
export const reviewRefund = (req: ReviewRefundRequest) => call<ReviewRefundResponse>('reviewRefund', req);
