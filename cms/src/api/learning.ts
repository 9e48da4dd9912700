import type { ListHomeworkRequest, ListHomeworkResponse, ReviewHomeworkRequest, ReviewHomeworkResponse } from '@domain/contracts/homework';
import { call } from './cloud';

export const listHomework = (req: ListHomeworkRequest) => call<ListHomeworkResponse>('listHomework', req);
export const reviewHomework = (req: ReviewHomeworkRequest) => call<ReviewHomeworkResponse>('reviewHomework', req);
