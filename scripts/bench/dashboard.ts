import type { DbRequestsResult } from './functions';

/** The DB requests a dashboard view may make: the staff check, then 6 (domain/dashboard/read.ts), whatever the number of orders. */
const DASHBOARD_BOUND = 7;

/**
 * The console's dashboard as the owner opens it (signed in with the web SDK's own requests): once with the
 * bench's purchases not counted yet (added live), once after the `countStats` timer counted them.
 */
export async function benchDashboardDbRequests(url: string): Promise<DbRequestsResult> {
  const signin = (await (await fetch(`${url}/auth/v1/signin`, { method: 'POST', body: JSON.stringify({ username: 'owner', password: 'owner-demo-pass' }) })).json()) as {
    access_token?: string;
  };
  if (!signin.access_token) throw new Error('bench: sign-in as owner failed');
  const view = async () => {
    const res = await fetch(`${url}/v1/functions/getDashboard`, { method: 'POST', headers: { authorization: `Bearer ${signin.access_token}` }, body: JSON.stringify({ days: 30 }) });
    const body = (await res.json()) as { ok?: boolean; code?: string };
    if (!body.ok) throw new Error(`getDashboard failed: ${res.status} ${JSON.stringify(body)}`);
    return Number(res.headers.get('x-db-requests'));
  };
  const live = await view();
  const fired = await fetch(`${url}/__emulator/timers/countStats/every10Minutes/fire`, { method: 'POST', body: '{}' });
  if (!fired.ok) throw new Error(`countStats timer: ${fired.status} ${await fired.text()}`);
  const counted = await view();
  return [
    { operation: 'getDashboard, 30 days (staff check; day counters, courses, active learners; then what happened since the last count)', dbRequests: live, bound: DASHBOARD_BOUND },
    { operation: 'getDashboard, 30 days, after countStats', dbRequests: counted, bound: DASHBOARD_BOUND },
  ];
}
