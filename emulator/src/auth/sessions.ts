import { randomBytes } from 'node:crypto';
import type { WebAuthConfig, WebUser } from './config';

/** What `/auth/v1/signin` and `/auth/v1/token` answer (OAuth 2 token response plus CloudBase's `sub`). */
export interface TokenSet {
  token_type: 'Bearer';
  access_token: string;
  refresh_token: string;
  /** seconds */
  expires_in: number;
  scope: string;
  sub: string;
}

export type SignInOutcome = { ok: true; tokens: TokenSet } | { ok: false; reason: 'unknown-user' | 'wrong-password' };
export type TokenCheck = { ok: true; user: WebUser } | { ok: false; reason: 'missing' | 'invalid' | 'expired' };

interface Session {
  uid: string;
  refreshToken: string;
  refreshExpiresAt: number;
  /** the access tokens issued in this session: all die when it is revoked */
  accessTokens: Set<string>;
}

const newToken = () => randomBytes(32).toString('base64url');

/**
 * Web sign-in sessions: opaque random tokens held in memory (a restart signs everyone out). An access token
 * lives `accessTokenTtlSeconds`; a refresh issues a new pair and retires the old refresh token, as CloudBase
 * rotates them; a revoke (sign-out) ends the session and every access token issued in it.
 */
export class WebSessions {
  private readonly byUsername: Map<string, WebUser>;
  private readonly byUid: Map<string, WebUser>;
  private readonly sessions = new Set<Session>();
  private readonly accessTokens = new Map<string, { session: Session; expiresAt: number }>();
  private readonly refreshTokens = new Map<string, Session>();

  constructor(
    private readonly config: WebAuthConfig,
    private readonly now: () => number,
  ) {
    this.byUsername = new Map(config.users.map((u) => [u.username, u]));
    this.byUid = new Map(config.users.map((u) => [u.uid, u]));
  }

  users(): WebUser[] {
    return this.config.users;
  }

  /** signed-in sessions, for the control API */
  sessionCount(): number {
    return this.sessions.size;
  }

  signIn(username: string, password: string): SignInOutcome {
    const user = this.byUsername.get(username);
    if (!user) return { ok: false, reason: 'unknown-user' };
    if (user.password !== password) return { ok: false, reason: 'wrong-password' };
    const session: Session = { uid: user.uid, refreshToken: '', refreshExpiresAt: 0, accessTokens: new Set() };
    this.sessions.add(session);
    return { ok: true, tokens: this.issue(session) };
  }

  /** A new token pair for a live refresh token; null when it is unknown, used already, revoked or expired. */
  refresh(refreshToken: string): TokenSet | null {
    const session = this.refreshTokens.get(refreshToken);
    if (!session) return null;
    this.refreshTokens.delete(refreshToken);
    if (session.refreshExpiresAt <= this.now()) {
      this.end(session);
      return null;
    }
    return this.issue(session);
  }

  check(accessToken: string | undefined): TokenCheck {
    if (!accessToken) return { ok: false, reason: 'missing' };
    const entry = this.accessTokens.get(accessToken);
    const user = entry && this.byUid.get(entry.session.uid);
    if (!entry || !user) return { ok: false, reason: 'invalid' };
    if (entry.expiresAt <= this.now()) return { ok: false, reason: 'expired' };
    return { ok: true, user };
  }

  /** Ends the session an access or refresh token belongs to; false when the token is unknown. */
  revoke(token: string): boolean {
    const session = this.accessTokens.get(token)?.session ?? this.refreshTokens.get(token);
    if (!session) return false;
    this.end(session);
    return true;
  }

  private issue(session: Session): TokenSet {
    const now = this.now();
    const accessToken = newToken();
    session.refreshToken = newToken();
    session.refreshExpiresAt = now + this.config.refreshTokenTtlSeconds * 1000;
    session.accessTokens.add(accessToken);
    this.accessTokens.set(accessToken, { session, expiresAt: now + this.config.accessTokenTtlSeconds * 1000 });
    this.refreshTokens.set(session.refreshToken, session);
    return {
      token_type: 'Bearer',
      access_token: accessToken,
      refresh_token: session.refreshToken,
      expires_in: this.config.accessTokenTtlSeconds,
      scope: 'user',
      sub: session.uid,
    };
  }

  private end(session: Session) {
    for (const token of session.accessTokens) this.accessTokens.delete(token);
    this.refreshTokens.delete(session.refreshToken);
    this.sessions.delete(session);
  }
}
