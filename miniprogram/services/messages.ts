/** One typed call per in-app message function. */
import type { ListMessagesRequest, ListMessagesResponse } from '../../domain/contracts/messages';
import { callFunction, type Jsonified } from './cloud';

export type InboxPage = Jsonified<ListMessagesResponse>;
export type InboxMessage = InboxPage['messages'][number];

/** 我的 > 消息, one page, newest first. */
export function listMessages(page: number, pageSize = 10): Promise<InboxPage> {
  return callFunction<ListMessagesRequest, ListMessagesResponse>('listMessages', { page, pageSize });
}
