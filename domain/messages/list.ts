import { pageOf, type Database } from '../../server/database';
import type { ListMessagesResponse, listMessagesRequest } from '../contracts/messages';
import type * as z from '../contracts/schema';
import { MESSAGES, type InboxMessage } from './inbox';

/**
 * The learner's in-app messages, newest first, one page, in one request through the `openid_createdAt` index
 * (`_id` breaks ties of the same millisecond, so pages neither repeat nor skip one). Opening the list reads
 * them: a first page with unread messages marks every message of the learner read (one request more); the
 * page still shows which were new.
 */
export async function listMessages(db: Database, openid: string, req: z.output<typeof listMessagesRequest>): Promise<ListMessagesResponse> {
  const { items, page, hasMore } = await pageOf(
    db
      .collection<InboxMessage>(MESSAGES)
      .where({ openid })
      .orderBy('createdAt', 'desc')
      .orderBy('_id', 'desc')
      .field({ kind: true, title: true, body: true, page: true, read: true, createdAt: true }),
    req,
  );
  if (page === 1 && items.some((m) => !m.read)) await db.collection(MESSAGES).where({ openid, read: false }).update({ data: { read: true } });
  return {
    messages: items.map((m) => ({ id: m._id, kind: m.kind, title: m.title, body: m.body, page: m.page, read: m.read, createdAt: m.createdAt })),
    page,
    hasMore,
  };
}

/** How many of the learner's messages are unread (我的 shows it beside 消息): one count. */
export async function unreadMessages(db: Database, openid: string): Promise<number> {
  return (await db.collection(MESSAGES).where({ openid, read: false }).count()).total;
}
