/**
 * In-app messages (我的 > 消息): what the product tells a learner (homework graded, a live about to start),
 * kept in `messages` whether or not a subscription message could also be sent.
 */
import type { Transaction } from '../../server/database';
import type { MessageView } from '../contracts/messages';

export const MESSAGES = 'messages';

/** A message as stored: what the learner sees, and whose it is. */
export type InboxMessage = Omit<MessageView, 'id'> & { _id?: string; openid: string };

/** Leaves a message for a learner, in the transaction of what it tells. */
export async function leaveMessage(tx: Transaction, message: Omit<InboxMessage, '_id' | 'read' | 'createdAt'>, now: Date): Promise<void> {
  await tx.collection<InboxMessage>(MESSAGES).add({ data: { ...message, read: false, createdAt: now } });
}
