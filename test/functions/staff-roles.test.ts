import type { Reply } from '../../domain/contracts/result';
import { PERMISSIONS, type Action } from '../../domain/staff/roles';
import { ownEmulatorForFile } from '../support/own-emulator';
import { connectSdk } from '../support/sdk';
import { callAsStaff, uidOf, type StaffAccount } from '../support/staff';

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
  listAudit: 'audit.read',
};
const ACCOUNTS: StaffAccount[] = ['owner', 'editor', 'teacher', 'support'];

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

  it('refuses a staff member whose account the owner disabled', async () => {
    const db = connectSdk().database();
    expect(outcome((await callAsStaff('teacher', 'listHomework', {})).reply)).toBe('ok');
    await db.collection('staff').doc(uidOf('teacher')).update({ data: { active: false } });
    expect((await callAsStaff('teacher', 'listHomework', {})).reply).toEqual({ ok: false, code: 'FORBIDDEN', message: '无权操作' });
  });
});
