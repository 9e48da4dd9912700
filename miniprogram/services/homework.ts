/** One typed call per homework function. */
import type {
  GetHomeworkRequest,
  GetHomeworkResponse,
  ListMyHomeworkRequest,
  ListMyHomeworkResponse,
  SubmitHomeworkRequest,
  SubmitHomeworkResponse,
} from '../../domain/contracts/homework';
import { callFunction, type Jsonified } from './cloud';

export type HomeworkPage = Jsonified<GetHomeworkResponse>;
export type MyHomework = Jsonified<ListMyHomeworkResponse>;

/** The assignment of a lesson, the learner's homework for it and the examples teachers picked. */
export function getHomework(assignmentId: string): Promise<HomeworkPage> {
  return callFunction<GetHomeworkRequest, GetHomeworkResponse>('getHomework', { assignmentId });
}

/** Hands the homework in (or again, until it is graded). */
export function submitHomework(request: SubmitHomeworkRequest): Promise<Jsonified<SubmitHomeworkResponse>> {
  return callFunction<SubmitHomeworkRequest, SubmitHomeworkResponse>('submitHomework', request);
}

/** 我的 > 作业, one page. */
export function listMyHomework(page: number, pageSize = 10): Promise<MyHomework> {
  return callFunction<ListMyHomeworkRequest, ListMyHomeworkResponse>('listMyHomework', { page, pageSize });
}
