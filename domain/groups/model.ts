/**
 * Group-buy (拼团, issue 12). A course with `price.groupBuy` may be bought at the group price by `size`
 * learners within `hours` of the first payment. The leader's payment opens the group (`groups`, `_id` =
 * `G` + the leader's order number); each friend's payment takes a seat, in the payment's transaction; the
 * payment that takes the last seat completes the group and grants every member the course in that same
 * transaction. Until then nobody has access. A group still short when its window ends fails, and every
 * member's payment goes back (settleGroups). A payment that finds no seat (the group full, ended, or the
 * learner in it already) goes back too.
 */
export const GROUPS = 'groups';

/** The window of a group when the course does not say: a day. */
export const DEFAULT_GROUP_HOURS = 24;

export type GroupStatus = 'open' | 'complete' | 'failed';

/** Each status in the words learners and staff read. */
export const GROUP_STATUS_TEXT: Record<GroupStatus, string> = { open: '拼团中', complete: '拼团成功', failed: '拼团失败' };

export interface GroupSeat {
  openid: string;
  orderId: string;
  joinedAt: Date;
}

export interface Group {
  _id: string;
  courseId: string;
  /** the course when the group opened */
  title: string;
  cover?: string;
  /** seats, and what each pays (fen), as the course said when the group opened */
  size: number;
  amount: number;
  /** who opened it */
  leader: string;
  /** the members who paid, in order; a member refunded while the group is open gives the seat back */
  seats: GroupSeat[];
  status: GroupStatus;
  createdAt: Date;
  expiresAt: Date;
  completedAt?: Date;
  failedAt?: Date;
}

/** The group a leader's order opens. */
export const groupIdFor = (leaderOrderId: string) => `G${leaderOrderId}`;
