/**
 * Seats of a group, taken and given back inside the transactions that move money: the payment's (a seat,
 * or the group's completion with everyone's access) and the refund's (a seat given back). The group's
 * document is read in each, so payments racing for the last seat queue on it: one gets it, the others
 * find the group full.
 */
import { readIfExists, type Transaction } from '../../server/database';
import { grantAccess, type GrantMode } from '../access/grant';
import type { Order, OrderGroup } from '../orders/model';
import { GROUPS, type Group } from './model';

type Stored = Omit<Group, '_id'>;

const HOUR_MS = 3_600_000;

/** Why a learner cannot take a seat in `group` now, in words for them; undefined when they can. */
export function seatRefusal(group: Stored | null, openid: string, now: Date): string | undefined {
  if (!group) return '拼团不存在';
  if (group.seats.some((s) => s.openid === openid)) return '你已在这个拼团中';
  if (group.status === 'complete' || group.seats.length >= group.size) return '拼团已满员';
  if (group.status === 'failed' || group.expiresAt <= now) return '拼团已结束';
  return undefined;
}

/**
 * - seated: the payment took a seat; the group waits for more
 * - completed: it took the last seat: every member was granted the course
 * - refused: no seat for it (why, for the learner): the payment goes back
 */
export type SeatOutcome = { kind: 'seated' } | { kind: 'completed' } | { kind: 'refused'; why: string };

/**
 * A paid group order takes its seat: the leader's opens the group (its window starting now), a friend's
 * joins it, and the one taking the last seat completes it, granting every member the course with their
 * own order as the source. A member who holds the course already by then keeps it (the grant finds it);
 * their seat still counts.
 */
export async function takeSeat(tx: Transaction, order: Order & { group: OrderGroup }, now: Date, mode: GrantMode): Promise<SeatOutcome> {
  const { id } = order.group;
  const seat = { openid: order.openid, orderId: order._id, joinedAt: now };
  if (order.group.leader) {
    if (await readIfExists<Stored>(tx, GROUPS, id)) return { kind: 'refused', why: '拼团已开过' };
    if (order.item.kind !== 'course') throw new Error(`group order ${order._id} is not for a course`);
    const group: Stored = {
      courseId: order.item.courseId,
      title: order.item.title,
      ...(order.item.cover ? { cover: order.item.cover } : {}),
      size: order.group.size,
      amount: order.amount,
      leader: order.openid,
      seats: [seat],
      status: 'open',
      createdAt: now,
      expiresAt: new Date(now.getTime() + order.group.hours * HOUR_MS),
    };
    await tx.collection<Stored>(GROUPS).doc(id).set({ data: group });
    return { kind: 'seated' };
  }
  const group = await readIfExists<Stored>(tx, GROUPS, id);
  const why = seatRefusal(group, order.openid, now);
  if (why) return { kind: 'refused', why };
  const seats = [...group!.seats, seat];
  if (seats.length < group!.size) {
    await tx.collection(GROUPS).doc(id).update({ data: { seats } });
    return { kind: 'seated' };
  }
  for (const member of seats) {
    await grantAccess(tx, { openid: member.openid, item: order.item, source: { kind: 'order', orderId: member.orderId } }, now, mode);
  }
  await tx.collection(GROUPS).doc(id).update({ data: { seats, status: 'complete', completedAt: now } });
  return { kind: 'completed' };
}

/** A refund of a member's payment while the group is open gives their seat back; a complete or failed group keeps its record. */
export async function freeSeat(tx: Transaction, order: Pick<Order, '_id' | 'group'>): Promise<void> {
  if (!order.group) return;
  const group = await readIfExists<Stored>(tx, GROUPS, order.group.id);
  if (group?.status !== 'open' || !group.seats.some((s) => s.orderId === order._id)) return;
  await tx.collection(GROUPS).doc(order.group.id).update({ data: { seats: group.seats.filter((s) => s.orderId !== order._id) } });
}
