/** Groups as learners see them (the group page a share card opens, a course's open groups) and as staff list them. */
import { pageOf, type Database } from '../../server/database';
import type { AdminGroupRow, CourseGroupView, GetGroupResponse, GroupMemberView, listGroupsRequest, ListGroupsResponse } from '../contracts/groups';
import type * as z from '../contracts/schema';
import { DomainError } from '../errors';
import { defaultNickname, USERS } from '../users/profile';
import { GROUPS, type Group } from './model';
import { seatRefusal } from './seats';

type Profile = { _id: string; nickname?: string; avatarUrl?: string };

/** The members' names and avatars: one request for the learners of the given groups. */
async function profilesOf(db: Database, groups: Group[]): Promise<Map<string, Profile>> {
  const openids = [...new Set(groups.flatMap((g) => g.seats.map((s) => s.openid)))];
  if (!openids.length) return new Map();
  const { data } = await db.collection<Profile>(USERS).where({ _id: db.command.in(openids) }).field({ nickname: true, avatarUrl: true }).limit(openids.length).get();
  return new Map(data.map((p) => [p._id, p]));
}

const memberOf = (profiles: Map<string, Profile>, openid: string) => {
  const profile = profiles.get(openid);
  return { nickname: profile?.nickname || defaultNickname(openid), ...(profile?.avatarUrl ? { avatarUrl: profile.avatarUrl } : {}) };
};

/** The status as of now: an open group past its window has ended, though the timer has not failed it yet. */
const seatsLeft = (group: Group) => (group.status === 'open' ? group.size - group.seats.length : 0);

/** One group for its page: members, seats left, the window, and whether the viewer may join. Two requests. */
export async function getGroup(db: Database, openid: string, groupId: string, now: Date): Promise<GetGroupResponse> {
  const group = (await db.collection<Group>(GROUPS).where({ _id: groupId }).get()).data[0];
  if (!group) throw new DomainError('NOT_FOUND', '拼团不存在');
  const profiles = await profilesOf(db, [group]);
  const seat = group.seats.find((s) => s.openid === openid);
  const why = seatRefusal(group, openid, now);
  const members: GroupMemberView[] = group.seats.map((s) => ({ ...memberOf(profiles, s.openid), leader: s.openid === group.leader, joinedAt: s.joinedAt }));
  const { _id, seats: _seats, leader: _leader, ...shown } = group;
  return {
    group: {
      ...shown,
      id: _id,
      members,
      seatsLeft: seatsLeft(group),
      viewer: { member: seat !== undefined, ...(seat ? { orderId: seat.orderId } : {}), canJoin: why === undefined, ...(why ? { why } : {}) },
    },
  };
}

/** Open groups a course's page offers to join, at most this many. */
const COURSE_GROUPS = 10;

/** A course's open groups with seats left, ending soonest first: two requests (`courseId_status_expiresAt`). */
export async function listCourseGroups(db: Database, courseId: string, now: Date): Promise<{ groups: CourseGroupView[] }> {
  const { data } = await db
    .collection<Group>(GROUPS)
    .where({ courseId, status: 'open', expiresAt: db.command.gt(now) })
    .orderBy('expiresAt', 'asc')
    .limit(COURSE_GROUPS)
    .get();
  const open = data.filter((g) => seatsLeft(g) > 0);
  const profiles = await profilesOf(db, open);
  return { groups: open.map((g) => ({ id: g._id, leader: memberOf(profiles, g.leader), seatsLeft: seatsLeft(g), expiresAt: g.expiresAt })) };
}

/** Groups for the console (of one status, of one course), newest first, with their members' orders: two requests. */
export async function listGroups(db: Database, req: z.output<typeof listGroupsRequest>): Promise<ListGroupsResponse> {
  const where = { ...(req.status ? { status: req.status } : {}), ...(req.courseId ? { courseId: req.courseId } : {}) };
  const { items, page, hasMore } = await pageOf(db.collection<Group>(GROUPS).where(where).orderBy('createdAt', 'desc').orderBy('_id', 'desc'), req);
  const profiles = await profilesOf(db, items);
  const groups: AdminGroupRow[] = items.map(({ _id, leader: _leader, seats, cover: _cover, ...group }) => ({
    ...group,
    id: _id,
    seats: seats.map((s) => ({ openid: s.openid, nickname: memberOf(profiles, s.openid).nickname, orderId: s.orderId, joinedAt: s.joinedAt })),
  }));
  return { groups, page, hasMore };
}
