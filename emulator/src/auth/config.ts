import * as z from 'zod/mini';

/**
 * `cloud.config.json` "webAuth": the accounts of CloudBase's web authentication (username and password, which
 * the owner creates in the console's user management) as the emulator knows them. Local demo credentials,
 * not secrets; nothing here is deployed.
 */
const userSchema = z.object({
  /** CloudBase usernames: a letter first, then letters, digits, `_` or `-` */
  username: z.string().check(z.regex(/^[A-Za-z][A-Za-z0-9_-]{1,31}$/, 'a username is 2-32 letters, digits, _ or -, starting with a letter')),
  password: z.string().check(z.minLength(6, 'a password has at least 6 characters')),
  /** the CloudBase user id (`sub` of the tokens, TCB_UUID in functions) */
  uid: z.string().check(z.regex(/^[A-Za-z0-9_-]{4,64}$/, 'a uid is 4-64 letters, digits, _ or -')),
  name: z.optional(z.string()),
});

const webAuthSchema = z
  .object({
    users: z.array(userSchema),
    /** access token lifetime (CloudBase's is 2 hours) */
    accessTokenTtlSeconds: z.optional(z.number().check(z.int(), z.positive())),
    /** refresh token lifetime (CloudBase's default is 30 days) */
    refreshTokenTtlSeconds: z.optional(z.number().check(z.int(), z.positive())),
  })
  .check(
    z.refine((c) => new Set(c.users.map((u) => u.username)).size === c.users.length, 'usernames must be unique'),
    z.refine((c) => new Set(c.users.map((u) => u.uid)).size === c.users.length, 'uids must be unique'),
  );

export type WebUser = z.infer<typeof userSchema>;

export interface WebAuthConfig {
  users: WebUser[];
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
}

export function parseWebAuthConfig(section: unknown): WebAuthConfig {
  const parsed = webAuthSchema.safeParse(section ?? { users: [] });
  if (!parsed.success) throw new Error(`cloud.config.json webAuth is invalid: ${z.prettifyError(parsed.error)}`);
  return {
    users: parsed.data.users,
    accessTokenTtlSeconds: parsed.data.accessTokenTtlSeconds ?? 7200,
    refreshTokenTtlSeconds: parsed.data.refreshTokenTtlSeconds ?? 30 * 86_400,
  };
}
