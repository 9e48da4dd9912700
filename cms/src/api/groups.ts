import type { ListGroupsRequest, ListGroupsResponse } from '@domain/contracts/groups';
import { call } from './cloud';

export const listGroups = (req: ListGroupsRequest) => call<ListGroupsResponse>('listGroups', req);
