import { readIfExists, type Database } from '../../server/database';
import type { ListStaffResponse, saveStaffRequest, SaveStaffResponse, StaffView } from '../contracts/staff';
import type * as z from '../contracts/schema';
import { COURSES } from '../catalog/courses';
import { DomainError } from '../errors';
import { recordAudit, type StaffRef } from './audit';
import { STAFF, type StaffMember } from './staff';

/** A school's staff fits one page: more would be a team the console pages. */
const MAX_STAFF = 100;

const viewOf = (m: StaffMember): StaffView => ({ uid: m._id, name: m.name, roles: m.roles, active: m.active, ...(m.courseIds ? { courseIds: m.courseIds } : {}) });

/** The school's staff, by name: one request. */
export async function listStaff(db: Database): Promise<ListStaffResponse> {
  const { data } = await db.collection<StaffMember>(STAFF).orderBy('name', 'asc').limit(MAX_STAFF).get();
  return { staff: data.map(viewOf) };
}

const activeOwner = (m: Pick<StaffMember, 'roles' | 'active'> | null) => !!m && m.active && m.roles.includes('owner');

/**
 * The owner adds a staff member or changes one (name, roles, the courses they teach, active), recorded in the
 * audit log in the same transaction; each course taught must exist. The school always keeps an active owner:
 * a change that would leave none (the last owner disabling themselves or giving up the role) is refused, so
 * nobody is locked out of staff management.
 *
 * A transaction reads single documents only (as CloudBase's), so the active owners are found first and the
 * transaction reads the others' documents again: two owners demoting each other at once conflict there.
 *
 * Requests: the role, the active owners and the courses taught (at once); a transaction: begin, the member,
 * (when an active owner would stop being one) the other owners, the write, the audit entry, commit.
 */
export async function saveStaff(db: Database, by: StaffRef, req: z.output<typeof saveStaffRequest>, now: Date): Promise<SaveStaffResponse> {
  const taught = req.courseIds ?? [];
  const [{ data: owners }, { data: courses }] = await Promise.all([
    db.collection<StaffMember>(STAFF).where({ roles: 'owner', active: true }).field({ _id: true }).limit(MAX_STAFF).get(),
    taught.length
      ? db.collection(COURSES).where({ _id: db.command.in(taught) }).field({ _id: true }).limit(taught.length).get()
      : { data: [] as Array<{ _id: string }> },
  ]);
  const unknown = taught.filter((id) => !courses.some((c) => c._id === id));
  // Worded as the handler words a refused field, so the console shows it beside the course picker.
  if (unknown.length) throw new DomainError('INVALID_INPUT', `参数错误：courseIds：课程不存在：${unknown.join('、')}`);
  return db.runTransaction(async (tx) => {
    const before = await readIfExists<Omit<StaffMember, '_id'>>(tx, STAFF, req.uid);
    const after: Omit<StaffMember, '_id'> = { name: req.name, roles: req.roles, active: req.active, ...(req.courseIds ? { courseIds: req.courseIds } : {}) };
    if (activeOwner(before) && !activeOwner(after)) {
      const others = await Promise.all(owners.filter((o) => o._id !== req.uid).map((o) => readIfExists<Omit<StaffMember, '_id'>>(tx, STAFF, o._id)));
      if (!others.some(activeOwner)) throw new DomainError('CONFLICT', '至少要保留一位启用的店主');
    }
    await tx.collection<Omit<StaffMember, '_id'>>(STAFF).doc(req.uid).set({ data: after });
    await recordAudit(
      tx,
      by,
      {
        action: 'staff.manage',
        target: { kind: 'staff', id: req.uid },
        summary: before ? `修改员工「${req.name}」：${req.roles.join('、')}${req.active ? '' : '（已停用）'}` : `添加员工「${req.name}」：${req.roles.join('、')}`,
        ...(before ? { before: { ...before } } : {}),
        after: { ...after },
      },
      now,
    );
    return { staff: viewOf({ _id: req.uid, ...after }), existed: before !== null };
  });
}
