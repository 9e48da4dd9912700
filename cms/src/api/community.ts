import type { ListCheckInsAdminResponse, ListCommunityRequest, ListReviewsAdminResponse, ModerateContentRequest, ModerateContentResponse } from '@domain/contracts/moderation';
import { call } from './cloud';

export const listReviewsAdmin = (req: ListCommunityRequest) => call<ListReviewsAdminResponse>('listReviewsAdmin', req);
export const listCheckInsAdmin = (req: ListCommunityRequest) => call<ListCheckInsAdminResponse>('listCheckInsAdmin', req);
export const moderateReview = (req: ModerateContentRequest) => call<ModerateContentResponse>('moderateReview', req);
export const moderateCheckIn = (req: ModerateContentRequest) => call<ModerateContentResponse>('moderateCheckIn', req);
