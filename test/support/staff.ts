import type { Reply } from '../../domain/contracts/result';
import { emulatorUrl } from './sdk';
import { postJson, postJsonWithHeaders } from './wx/http';

/**
 * Admin functions as the creator console calls them: signed in as one of the emulator's demo staff accounts
 * (cloud.config.json `webAuth`; `staff` documents of the demo school give their roles), then
 * `POST /v1/functions/{name}` with the bearer token, the web SDK's own requests. Node's http, so the
 * mini-program tests (jsdom, no fetch) use it too.
 */
export type StaffAccount = 'owner' | 'editor' | 'teacher' | 'support';

const tokens = new Map<string, Promise<string>>();

/** One sign-in per account and emulator (a file with an emulator of its own signs in there). */
function tokenOf(account: StaffAccount): Promise<string> {
  const key = `${emulatorUrl()} ${account}`;
  let token = tokens.get(key);
  if (!token) {
    token = postJson<{ access_token?: string; error_description?: string }>(`${emulatorUrl()}/auth/v1/signin`, { username: account, password: `${account}-demo-pass` }).then(({ body }) => {
      if (!body.access_token) throw new Error(`sign-in as ${account} failed: ${body.error_description}`);
      return body.access_token;
    });
    tokens.set(key, token);
  }
  return token;
}

/** Calls an admin function as `account`; answers its reply and the DB requests it made. */
export async function callAsStaff<T>(account: StaffAccount, name: string, data: Record<string, unknown> = {}): Promise<{ reply: Reply<T>; dbRequests: number }> {
  const { status, body, headers } = await postJsonWithHeaders<Reply<T>>(`${emulatorUrl()}/v1/functions/${name}`, data, { authorization: `Bearer ${await tokenOf(account)}` });
  if (status !== 200) throw new Error(`${name} as ${account}: ${status} ${JSON.stringify(body)}`);
  return { reply: body, dbRequests: Number(headers['x-db-requests']) };
}

/** `callAsStaff`, failing unless the function succeeded; answers its data and the DB requests it made. */
export async function staffOk<T>(account: StaffAccount, name: string, data: Record<string, unknown> = {}): Promise<{ data: T; dbRequests: number }> {
  const { reply, dbRequests } = await callAsStaff<T>(account, name, data);
  if (!reply.ok) throw new Error(`${name} as ${account} failed: ${reply.code} ${reply.message}`);
  return { data: reply.data, dbRequests };
}

/** The CloudBase uid of a demo staff account: what the functions record as who acted. */
export const uidOf = (account: StaffAccount) => `u-demo-${account}`;
