import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Reply } from '../../domain/contracts/result';
import type { GetMyStaffProfileResponse, ListAuditResponse, ListStaffResponse, SaveStaffResponse } from '../../domain/contracts/staff';
import { PERMISSIONS, type Action } from '../../domain/staff/roles';
import { ownEmulatorForFile } from '../support/own-emulator';
import { callAs, connectSdk, uniqueName } from '../support/sdk';
import { callAsStaff, staffOk, uidOf, type StaffAccount } from '../support/staff';

/**
 * Who may call which admin function (issue 11's role table, domain/staff/roles.ts), both ways: each demo
 * staff account signs in through the web SDK's requests and calls each admin function with a bad request;
 * a role that covers the function gets as far as the request's check (INVALID_INPUT), any other is refused
 * (FORBIDDEN) before it. Its own emulator: it disables an account.
 */
ownEmulatorForFile('roles');

/** The admin functions and the action each performs: what its handler declares. */
const ADMIN_FUNCTIONS: Record<string, Action> = {
  listRefundRequests: 'refunds.review',
  reviewRefund: 'refunds.review',
  grantCourse: 'grants.manage',
  revokeGrant: 'grants.manage',
  listHomework: 'homework.review',
  reviewHomework: 'homework.review',
  listReports: 'reports.resolve',
  resolveReport: 'reports.resolve',
  listReviewsAdmin: 'reports.resolve',
  moderateReview: 'reports.resolve',
  listCheckInsAdmin: 'homework.review',
  moderateCheckIn: 'homework.review',
  listAudit: 'audit.read',
  listStaff: 'staff.manage',
  saveStaff: 'staff.manage',
  listOrders: 'orders.read',
  getOrderAdmin: 'orders.read',
  exportOrders: 'orders.read',
  listIncidents: 'orders.read',
  resolveIncident: 'incidents.resolve',
  searchLearners: 'learners.read',
  getLearner: 'learners.read',
  getDashboard: 'dashboard.read',
  listAdminCourses: 'catalog.read',
  getAdminCourse: 'catalog.edit',
  saveCourse: 'catalog.edit',
  saveOutline: 'catalog.edit',
  setCourseStatus: 'catalog.edit',
  listCatalogSettings: 'catalog.edit',
  saveLecturer: 'catalog.edit',
  saveCategory: 'catalog.edit',
  saveBanner: 'catalog.edit',
  savePlan: 'catalog.edit',
  deleteCatalogEntry: 'catalog.edit',
  listCouponCampaigns: 'campaigns.manage',
  saveCouponCampaign: 'campaigns.manage',
  setCouponCampaignStatus: 'campaigns.manage',
  getCouponCampaignReport: 'campaigns.manage',
  getDistributionSettings: 'campaigns.manage',
  saveDistributionSettings: 'campaigns.manage',
  listPromoters: 'campaigns.manage',
  listWithdrawals: 'withdrawals.review',
  decideWithdrawal: 'withdrawals.review',
  listGroups: 'orders.read',
};
const ACCOUNTS: StaffAccount[] = ['owner', 'editor', 'teacher', 'support'];
const FUNCTIONS = resolve(__dirname, '../../cloudfunctions');

/** A request no admin function takes: a role that may call it gets its validation error. */
const BAD_REQUEST = { page: 'first', unexpected: true };

const outcome = (reply: Reply<unknown>) => (reply.ok ? 'ok' : reply.code);

describe('the role table', () => {
  it('lets each role call exactly the admin functions its actions cover', async () => {
    const seen: string[] = [];
    const expected: string[] = [];
    for (const [name, action] of Object.entries(ADMIN_FUNCTIONS)) {
      for (const account of ACCOUNTS) {
        const { reply } = await callAsStaff(account, name, BAD_REQUEST);
        seen.push(`${name} ${account} ${outcome(reply)}`);
        expected.push(`${name} ${account} ${(PERMISSIONS[action] as readonly string[]).includes(account) ? 'INVALID_INPUT' : 'FORBIDDEN'}`);
      }
    }
    expect(seen).toEqual(expected);
    // Spelled out for the cases the console issue names.
    expect(seen).toEqual(expect.arrayContaining(['reviewRefund editor FORBIDDEN', 'reviewRefund support INVALID_INPUT', 'reviewHomework teacher INVALID_INPUT', 'reviewHomework support FORBIDDEN', 'grantCourse owner INVALID_INPUT']));
  });

  it('names every function that declares a staff caller, with the action it declares', () => {
    const declared = Object.fromEntries(
      readdirSync(FUNCTIONS).flatMap((name) => {
        const index = join(FUNCTIONS, name, 'index.ts');
        const action = existsSync(index) ? /caller: \{ staff: '([^']+)' \}/.exec(readFileSync(index, 'utf8'))?.[1] : undefined;
        return action && action !== 'member' ? [[name, action]] : [];
      }),
    );
    expect(declared).toEqual(ADMIN_FUNCTIONS);
  });

  it('refuses a learner calling from the mini program, whatever the admin function', async () => {
    const learner = uniqueName('o-roles');
    for (const name of [...Object.keys(ADMIN_FUNCTIONS), 'getMyStaffProfile']) {
      const { body } = await callAs<Reply<unknown>>(learner, name, {});
      expect([name, body.result]).toEqual([name, { ok: false, code: 'FORBIDDEN', message: '无权操作' }]);
    }
  });

  it('tells each staff member who they are and their roles, which the console builds its menus from', async () => {
    for (const account of ACCOUNTS) {
      const { data } = await staffOk<GetMyStaffProfileResponse>(account, 'getMyStaffProfile');
      expect(data).toEqual({ uid: uidOf(account), name: expect.any(String), roles: [account] });
    }
  });

  it('refuses a staff member whose account the owner disabled', async () => {
    const db = connectSdk().database();
    expect(outcome((await callAsStaff('teacher', 'listHomework', {})).reply)).toBe('ok');
    await db.collection('staff').doc(uidOf('teacher')).update({ data: { active: false } });
    expect((await callAsStaff('teacher', 'listHomework', {})).reply).toEqual({ ok: false, code: 'FORBIDDEN', message: '无权操作' });
  });

  it('lets the owner add staff and change their roles, recorded in the audit log, never leaving the school without an owner', async () => {
    const added = await staffOk<SaveStaffResponse>('owner', 'saveStaff', { uid: 'u-new-teacher', name: '  李老师 ', roles: ['teacher'], active: true });
    expect(added.data).toEqual({ staff: { uid: 'u-new-teacher', name: '李老师', roles: ['teacher'], active: true }, existed: false });
    const { staff } = (await staffOk<ListStaffResponse>('owner', 'listStaff')).data;
    expect(staff.map((m) => `${m.uid} ${m.roles.join(',')}`)).toContain('u-new-teacher teacher');
    const [entry] = (await staffOk<ListAuditResponse>('owner', 'listAudit', { targetId: 'u-new-teacher' })).data.entries;
    expect(entry).toMatchObject({ by: { uid: uidOf('owner'), name: '演示店主' }, action: 'staff.manage', summary: '添加员工「李老师」：teacher', after: { roles: ['teacher'], active: true } });

    // The only owner cannot give up the role or disable themselves; with a second owner, they can.
    const me = { uid: uidOf('owner'), name: '演示店主' };
    expect((await callAsStaff('owner', 'saveStaff', { ...me, roles: ['editor'], active: true })).reply).toEqual({ ok: false, code: 'CONFLICT', message: '至少要保留一位启用的店主' });
    expect((await callAsStaff('owner', 'saveStaff', { ...me, roles: ['owner'], active: false })).reply).toEqual({ ok: false, code: 'CONFLICT', message: '至少要保留一位启用的店主' });
    await staffOk('owner', 'saveStaff', { uid: 'u-second-owner', name: '合伙人', roles: ['owner'], active: true });
    expect((await staffOk<SaveStaffResponse>('owner', 'saveStaff', { ...me, roles: ['owner', 'editor'], active: true })).data.existed).toBe(true);

    expect((await callAsStaff('owner', 'saveStaff', { uid: 'u-x', name: '某人', roles: [], active: true })).reply).toMatchObject({ ok: false, code: 'INVALID_INPUT', message: expect.stringContaining('请至少选择一个角色') });
    expect((await callAsStaff('owner', 'saveStaff', { uid: 'u-x', name: '某人', roles: ['boss'], active: true })).reply).toMatchObject({ ok: false, code: 'INVALID_INPUT', message: expect.stringContaining('角色不存在') });
  });
});
