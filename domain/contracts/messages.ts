import { paging } from './paging';
import * as z from './schema';

/** What a message tells: a homework graded, a live lesson or camp day about to start. */
export type MessageKind = 'homeworkReviewed' | 'liveReminder';

/** `listMessages`: the caller's in-app messages (我的 > 消息), newest first, one page. */
export const listMessagesRequest = z.strictObject({ ...paging });
export type ListMessagesRequest = z.input<typeof listMessagesRequest>;

export interface MessageView {
  id: string;
  kind: MessageKind;
  title: string;
  body: string;
  /** the mini-program page it opens, with its query */
  page: string;
  read: boolean;
  createdAt: Date;
}

export interface ListMessagesResponse {
  messages: MessageView[];
  page: number;
  hasMore: boolean;
}
