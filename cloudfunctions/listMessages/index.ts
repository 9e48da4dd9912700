import { listMessagesRequest } from '../../domain/contracts/messages';
import { listMessages } from '../../domain/messages/list';
import { defineFunction } from '../../server/handler';

/** 我的 > 消息: the caller's in-app messages, newest first (domain/messages/list.ts). */
export const main = defineFunction({
  input: listMessagesRequest,
  caller: 'learner',
  run: (input, { caller, db }) => listMessages(db, caller.openid!, input),
});
