import { listGroupsRequest } from '../../domain/contracts/groups';
import { listGroups } from '../../domain/groups/read';
import { defineFunction } from '../../server/handler';

/** The console's group-buy list: groups by status and course, newest first, with their members' orders. */
export const main = defineFunction({
  input: listGroupsRequest,
  caller: { staff: 'orders.read' },
  run: (input, { db }) => listGroups(db, input),
});
