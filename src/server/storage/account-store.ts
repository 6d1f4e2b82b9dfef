import type { Role } from '../../domain/account.ts';

/** A person who can sign in. Never leaves the server with `passwordHash`. */
export interface User {
  id: string;
  /** Lower-cased; unique. */
  email: string;
  name: string;
  role: Role;
  /** INSEE codes; agents only (empty for the other roles). */
  communes: string[];
  /** Reviewers only. */
  departement: string | null;
  disabled: boolean;
  /**
   * The password was set by someone else (an admin, at creation or reset): until its owner
   * chooses one, their sessions may do nothing but that (access/enforce.ts).
   */
  mustChangePassword: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface UserRecord extends User {
  /** `scrypt$N$r$p$salt$key` (src/server/auth/passwords.ts). */
  passwordHash: string;
}

export type UserChanges = Partial<Pick<UserRecord, 'name' | 'passwordHash' | 'mustChangePassword' | 'role' | 'communes' | 'departement' | 'disabled'>> & {
  updatedAt: string;
};

export interface SessionRecord {
  /** SHA-256 (hex) of the cookie's token: the token itself is never stored. */
  tokenHash: string;
  userId: string;
  csrfToken: string;
  createdAtMs: number;
  /** The absolute end (SESSION_DAYS after sign-in), however much the session is used. */
  expiresAtMs: number;
  /** Last use, written at most once a minute: the session ends SESSION_IDLE_DAYS after it. */
  lastSeenAtMs: number;
}

export interface ApiTokenRecord {
  id: string;
  userId: string;
  name: string;
  /** SHA-256 (hex) of the token. */
  tokenHash: string;
  createdAt: string;
  /** Written at most once a minute, not on every request. */
  lastUsedAt: string | null;
  /** From then on the token is refused like an unknown one; null: until revoked. */
  expiresAt: string | null;
}

export interface AuditEntry {
  at: string;
  /** null for the shell command (scripts/admin.ts). */
  actorId: string | null;
  /** The actor's e-mail at the time, or "ligne de commande". */
  actorLabel: string;
  /** e.g. user.create, user.update, user.password.change, user.sessions.revoke, token.create, token.revoke, report.hide, zone.create, zone.status, campaign.create. */
  action: string;
  targetType: AuditTargetType;
  targetId: string | null;
  /** What changed; never a password or a token. */
  details: Record<string, unknown>;
}

export type AuditTargetType = 'user' | 'token' | 'report' | 'zone' | 'campaign';

export interface StoredAuditEntry extends AuditEntry {
  seq: number;
}

export class DuplicateEmailError extends Error {}

/** Accounts, their sessions and API tokens, and the audit log. */
export interface AccountStore {
  /** Rejects with DuplicateEmailError when the e-mail is taken. */
  createUser(user: UserRecord): Promise<void>;
  userById(id: string): Promise<UserRecord | undefined>;
  userByEmail(email: string): Promise<UserRecord | undefined>;
  listUsers(): Promise<User[]>;
  /** Answers the user as changed, undefined when there is none with this id. */
  updateUser(id: string, changes: UserChanges): Promise<UserRecord | undefined>;

  createSession(session: SessionRecord): Promise<void>;
  /** The session and its user, whatever their state: the caller checks expiry and `disabled`. */
  sessionByTokenHash(tokenHash: string): Promise<{ session: SessionRecord; user: UserRecord } | undefined>;
  deleteSession(tokenHash: string): Promise<void>;
  /** Records a use of the session (its idle limit starts again from `atMs`). */
  touchSession(tokenHash: string, atMs: number): Promise<void>;
  /** Answers how many sessions were deleted; `exceptTokenHash`'s session, when given, is kept. */
  deleteUserSessions(userId: string, exceptTokenHash?: string): Promise<number>;
  /** Deletes sessions past their end (`expiresAtMs <= nowMs`) or last seen at or before `idleSinceMs`. */
  deleteExpiredSessions(nowMs: number, idleSinceMs: number): Promise<number>;

  createApiToken(token: ApiTokenRecord): Promise<void>;
  apiTokenByHash(tokenHash: string): Promise<{ token: ApiTokenRecord; user: UserRecord } | undefined>;
  apiTokenById(id: string): Promise<ApiTokenRecord | undefined>;
  listApiTokens(userId: string): Promise<ApiTokenRecord[]>;
  touchApiToken(id: string, at: string): Promise<void>;
  deleteApiToken(id: string): Promise<boolean>;
  /** Answers how many tokens were deleted. */
  deleteUserApiTokens(userId: string): Promise<number>;

  appendAudit(entry: AuditEntry): Promise<void>;
  /** Newest first. */
  listAudit(limit: number): Promise<StoredAuditEntry[]>;
}
