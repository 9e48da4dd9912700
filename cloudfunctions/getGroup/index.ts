import { getGroupRequest } from '../../domain/contracts/groups';
import { getGroup } from '../../domain/groups/read';
import { defineFunction } from '../../server/handler';

/** A group-buy's page, opened from a share card: members, seats left, the window, whether the viewer may join. */
export const main = defineFunction({
  input: getGroupRequest,
  caller: 'learner',
  run: ({ groupId }, { caller, db, now }) => getGroup(db, caller.openid!, groupId, now),
});
