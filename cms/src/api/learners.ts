import type { GetLearnerResponse, SearchLearnersRequest, SearchLearnersResponse } from '@domain/contracts/learners';
import { call } from './cloud';

export const searchLearners = (req: SearchLearnersRequest) => call<SearchLearnersResponse>('searchLearners', req);
export const getLearner = (openid: string) => call<GetLearnerResponse>('getLearner', { openid });
