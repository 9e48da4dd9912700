import { settleGroupsRequest } from '../../domain/contracts/groups';
import { settleGroups } from '../../domain/groups/settle';
import { defineFunction } from '../../server/handler';

/** Every minute: fails the group-buys whose window ended short and refunds every member (domain/groups/settle.ts). */
export const main = defineFunction({
  input: settleGroupsRequest,
  caller: 'platform',
  run: (_input, { db, payments, now }) => settleGroups(db, payments, now),
});
