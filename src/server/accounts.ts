import { randomUUID } from 'node:crypto';
import { ROLES, type CommuneRef, type Role, type SessionInfo } from '../domain/account.ts';
import { isOneOf } from '../domain/one-of.ts';
import { hasNulCharacter, NUL_MESSAGE } from '../domain/plain-text.ts';
import { decoyHash, hashPassword, passwordProblem, verifyPassword, DEFAULT_COST, type ScryptCost } from './auth/passwords.ts';
import { newApiToken, randomToken, sha256 } from './auth/secrets.ts';
import type { Communes } from './communes/communes.ts';
import { badRequest, HttpError } from './http-errors.ts';
import {
  DuplicateEmailError,
  type ApiTokenRecord,
  type AuditTargetType,
  type SessionRecord,
  type User,
  type UserChanges,
  type UserRecord,
} from './storage/account-store.ts';
import type { Store } from './storage/store.ts';

/**
 * Accounts, sessions and API tokens: the rules, shared by the HTTP routes, the shell
 * command (scripts/admin.ts) and the tests' hook (app.accounts). Storage is behind Store.
 */

/** Who does something, for the audit log. */
export interface Actor {
  id: string | null;
  label: string;
}
export const SHELL_ACTOR: Actor = { id: null, label: 'ligne de commande' };
export const actorOf = (user: Pick<User, 'id' | 'email'>): Actor => ({ id: user.id, label: user.email });

export interface NewUser {
  email: string;
  name: string;
  password: string;
  role: Role;
  /** Judged here with the role (checkScope): the route passes them on as the client sent them. */
  communes?: unknown;
  departement?: unknown;
  /**
   * Someone other than the account's owner chose the password (an admin, through the API or
   * `npm run admin -- add-user`): the owner must replace it at next sign-in. The first admin,
   * who types their own at the server's shell, is not provisional.
   */
  provisional?: boolean;
}

export interface UserPatch {
  name?: string;
  password?: string;
  role?: Role;
  communes?: unknown;
  departement?: unknown;
  disabled?: boolean;
}

export interface NewSession {
  /** Goes in the cookie; only its hash is stored. */
  token: string;
  session: SessionRecord;
  user: UserRecord;
}

export interface PublicToken {
  id: string;
  name: string;
  createdAt: string;
  /** To the minute: written at most once a minute, not on every request. */
  lastUsedAt: string | null;
  /** null: until revoked. */
  expiresAt: string | null;
}

export interface CreatedToken extends PublicToken {
  /** Shown once; only its hash is stored. */
  token: string;
}

export interface TokenOptions {
  /** The token's life in days (whole, 1–3650); without it, until revoked. */
  days?: unknown;
}

/** What revoking an account's access ended. */
export interface Revoked {
  sessions: number;
  tokens: number;
}

export interface AccountsOptions {
  store: Store;
  communes: Communes;
  now: () => number;
  sessionDays: number;
  /** A session unused for this long ends (default 14). */
  sessionIdleDays?: number;
  passwordCost?: ScryptCost;
}

// No control characters: U+0000 cannot even be looked up in PostgreSQL.
const EMAIL = /^[^\s@\p{Cc}]+@[^\s@\p{Cc}]+\.[^\s@\p{Cc}]+$/u;
const MAX_COMMUNES = 500;
const DAY_MS = 86_400_000;
const MAX_TOKEN_DAYS = 3650;
/** Last use of a session or token is written at most this often, not on every request. */
const TOUCH_EVERY_MS = 60_000;

export type Accounts = ReturnType<typeof createAccounts>;

export function createAccounts({ store, communes, now, sessionDays, sessionIdleDays = 14, passwordCost = DEFAULT_COST }: AccountsOptions) {
  const iso = () => new Date(now()).toISOString();

  function normaliseEmail(email: unknown): string {
    if (typeof email !== 'string') throw badRequest('L’adresse e-mail doit être un texte');
    const trimmed = email.trim().toLowerCase();
    if (trimmed.length > 254 || !EMAIL.test(trimmed)) throw badRequest(`Adresse e-mail invalide : « ${email} »`);
    return trimmed;
  }

  function checkName(name: unknown): string {
    if (typeof name !== 'string' || name.trim() === '') throw badRequest('Le nom est obligatoire');
    if (hasNulCharacter(name)) throw badRequest(`Le nom ${NUL_MESSAGE}`);
    if (name.trim().length > 100) throw badRequest('Le nom dépasse 100 caractères');
    return name.trim();
  }

  function checkPassword(password: unknown): string {
    if (typeof password !== 'string') throw badRequest('Le mot de passe doit être un texte');
    const problem = passwordProblem(password);
    if (problem) throw badRequest(problem);
    return password;
  }

  function checkRole(role: unknown): Role {
    if (!isOneOf(ROLES, role)) throw badRequest(`Rôle inconnu : attendu ${ROLES.join(', ')}`);
    return role;
  }

  /** The communes and département that go with a role: an agent has communes, a reviewer a département. */
  function checkScope(role: Role, communeCodes: unknown, departement: unknown): { communes: string[]; departement: string | null } {
    if (role === 'agent') {
      if (!Array.isArray(communeCodes) || communeCodes.length === 0) {
        throw badRequest('Un agent doit avoir au moins une commune (codes INSEE, ex. 34172)');
      }
      if (communeCodes.length > MAX_COMMUNES) throw badRequest(`Au plus ${MAX_COMMUNES} communes par agent`);
      const unknown = communeCodes.filter((code) => typeof code !== 'string' || !communes.get(code));
      // Not String(code): an object such as {"toString": ""} makes it throw, a 500 for bad input.
      if (unknown.length > 0)
        throw badRequest(
          `Codes INSEE inconnus : ${unknown.map((code) => `« ${typeof code === 'string' && code !== '' ? code : JSON.stringify(code)} »`).join(', ')}`,
        );
      if (departement !== undefined && departement !== null) throw badRequest('Un agent n’a pas de département : donnez ses communes');
      return { communes: [...new Set(communeCodes as string[])], departement: null };
    }
    if (communeCodes !== undefined && !(Array.isArray(communeCodes) && communeCodes.length === 0)) {
      throw badRequest('Seuls les agents ont des communes');
    }
    if (role === 'reviewer') {
      if (typeof departement !== 'string' || !communes.departementName(departement)) {
        throw badRequest(`Département inconnu : « ${String(departement ?? '')} » (attendu un code comme 34 ou 2A)`);
      }
      return { communes: [], departement };
    }
    if (departement !== undefined && departement !== null) throw badRequest('Un administrateur n’a pas de département');
    return { communes: [], departement: null };
  }

  async function audit(actor: Actor, action: string, targetType: AuditTargetType, targetId: string | null, details: Record<string, unknown>) {
    await store.appendAudit({ at: iso(), actorId: actor.id, actorLabel: actor.label, action, targetType, targetId, details });
  }

  function toPublicUser({ passwordHash: _, ...user }: UserRecord): User {
    return user;
  }

  const publicToken = ({ id, name, createdAt, lastUsedAt, expiresAt }: ApiTokenRecord): PublicToken => ({ id, name, createdAt, lastUsedAt, expiresAt });

  function communeRef(code: string): CommuneRef {
    return communes.get(code) ?? { code, name: code, departement: '' };
  }

  function tokenDays(days: unknown): number | undefined {
    if (days === undefined || days === null) return undefined;
    if (typeof days !== 'number' || !Number.isInteger(days) || days < 1 || days > MAX_TOKEN_DAYS) {
      throw badRequest(`« days » : attendu un nombre entier de jours, de 1 à ${MAX_TOKEN_DAYS} (sans « days », le jeton vaut jusqu’à sa révocation)`);
    }
    return days;
  }

  /**
   * Ends every session (but `keepSession`, the one asking, when given), and the API tokens too
   * when asked: what a lost phone, a change of power or a new password calls for.
   */
  async function endAccess(userId: string, tokens: boolean, keepSession?: string): Promise<Revoked> {
    return { sessions: await store.deleteUserSessions(userId, keepSession), tokens: tokens ? await store.deleteUserApiTokens(userId) : 0 };
  }

  const sameScope = (a: Pick<User, 'communes' | 'departement'>, b: Pick<User, 'communes' | 'departement'>) =>
    a.departement === b.departement && a.communes.length === b.communes.length && a.communes.every((code) => b.communes.includes(code));

  return {
    audit,
    toPublicUser,

    async createUser(input: NewUser, actor: Actor = SHELL_ACTOR): Promise<User> {
      const email = normaliseEmail(input.email);
      const name = checkName(input.name);
      const password = checkPassword(input.password);
      const role = checkRole(input.role);
      const scope = checkScope(role, input.communes, input.departement);
      const at = iso();
      const record: UserRecord = {
        id: randomUUID(),
        email,
        name,
        role,
        ...scope,
        disabled: false,
        passwordHash: await hashPassword(password, passwordCost),
        mustChangePassword: input.provisional === true,
        createdAt: at,
        updatedAt: at,
      };
      try {
        await store.createUser(record);
      } catch (error) {
        if (error instanceof DuplicateEmailError) throw new HttpError(409, `Un compte existe déjà pour « ${email} »`);
        throw error;
      }
      await audit(actor, 'user.create', 'user', record.id, { email, role, ...scope, ...(record.mustChangePassword && { provisionalPassword: true }) });
      return toPublicUser(record);
    },

    async updateUser(id: string, patch: UserPatch, actor: Actor): Promise<User> {
      const current = await store.userById(id);
      if (!current) throw new HttpError(404, 'Aucun compte ne porte cet identifiant');
      const role = patch.role === undefined ? current.role : checkRole(patch.role);
      const roleChanged = role !== current.role;
      const changes: UserChanges = { updatedAt: iso() };
      if (patch.name !== undefined) changes.name = checkName(patch.name);
      if (patch.password !== undefined) {
        changes.passwordHash = await hashPassword(checkPassword(patch.password), passwordCost);
        // Set by an admin for someone else, it is provisional: its owner must choose their own.
        changes.mustChangePassword = actor.id !== id;
      }
      if (patch.disabled !== undefined) {
        if (typeof patch.disabled !== 'boolean') throw badRequest('« disabled » doit valoir true ou false');
        if (patch.disabled && actor.id === id) throw new HttpError(403, 'Vous ne pouvez pas désactiver votre propre compte');
        changes.disabled = patch.disabled;
      }
      if (patch.role !== undefined || patch.communes !== undefined || patch.departement !== undefined) {
        if (actor.id === id && roleChanged) throw new HttpError(403, 'Vous ne pouvez pas changer votre propre rôle');
        const scope = checkScope(
          role,
          patch.communes ?? (roleChanged ? undefined : role === 'agent' ? current.communes : undefined),
          patch.departement === undefined ? (roleChanged ? undefined : (current.departement ?? undefined)) : patch.departement,
        );
        Object.assign(changes, { role, ...scope });
      }
      const updated = await store.updateUser(id, changes);
      if (!updated) throw new HttpError(404, 'Aucun compte ne porte cet identifiant');
      const { passwordHash, mustChangePassword, updatedAt: _, ...shown } = changes;
      // A disabled account, a new password, role or scope ends every session and API token:
      // whoever held them must sign in again, or get a new token, under the new terms.
      const ends = changes.disabled === true || passwordHash !== undefined || roleChanged || !sameScope(current, updated);
      const revoked = ends ? await endAccess(id, true) : undefined;
      await audit(actor, 'user.update', 'user', id, {
        ...shown,
        ...(passwordHash && { password: mustChangePassword ? 'provisoire' : 'changé' }),
        ...(revoked && { revoked }),
      });
      return toPublicUser(updated);
    },

    /**
     * The signed-in person replaces their password (a provisional one included) with `next`,
     * which must be valid and differ from `current`. Whoever calls this has confirmed that
     * `current` is the account's password (the route, counting failures as failed sign-ins).
     * Ends the account's other sessions and its API tokens, as an admin's change does; the
     * session asking (`keepSession`, its token hash) stays open. Answers the account as changed.
     */
    async changeOwnPassword(userId: string, current: string, next: unknown, keepSession: string): Promise<UserRecord> {
      const password = checkPassword(next);
      if (password === current) throw badRequest('Choisissez un mot de passe différent de l’actuel');
      const passwordHash = await hashPassword(password, passwordCost);
      const updated = await store.updateUser(userId, { passwordHash, mustChangePassword: false, updatedAt: iso() });
      if (!updated) throw new HttpError(404, 'Aucun compte ne porte cet identifiant');
      const revoked = await endAccess(userId, true, keepSession);
      await audit(actorOf(updated), 'user.password.change', 'user', userId, { revoked });
      return updated;
    },

    /** Ends every session of the account, and its API tokens too with `tokens: true`; answers how many of each. */
    async revokeSessions(userId: string, actor: Actor = SHELL_ACTOR, { tokens = false }: { tokens?: boolean } = {}): Promise<Revoked> {
      const user = await store.userById(userId);
      if (!user) throw new HttpError(404, 'Aucun compte ne porte cet identifiant');
      const revoked = await endAccess(userId, tokens);
      await audit(actor, 'user.sessions.revoke', 'user', userId, { ...revoked });
      return revoked;
    },

    /** Whether `password` is the account's current one (a browser session confirming it is its owner). */
    async passwordMatches(userId: string, password: unknown): Promise<boolean> {
      if (typeof password !== 'string' || password.length > 1000) return false;
      const user = await store.userById(userId);
      const ok = await verifyPassword(password, user?.passwordHash ?? (await decoyHash(passwordCost)));
      return ok && user !== undefined && !user.disabled;
    },

    /** Checks the credentials; undefined when they are wrong, the same way whatever was wrong. */
    async signIn(email: unknown, password: unknown): Promise<NewSession | { disabled: true } | undefined> {
      if (typeof email !== 'string' || typeof password !== 'string' || password.length > 1000 || hasNulCharacter(email)) return undefined;
      const user = await store.userByEmail(email.trim().toLowerCase());
      const ok = await verifyPassword(password, user?.passwordHash ?? (await decoyHash(passwordCost)));
      if (!user || !ok) return undefined;
      if (user.disabled) return { disabled: true };
      const createdAtMs = now();
      await store.deleteExpiredSessions(createdAtMs, createdAtMs - sessionIdleDays * DAY_MS);
      // Rate-limit windows end by themselves; this only keeps their table small.
      await store.deleteEndedCounters(createdAtMs);
      const token = randomToken();
      const session: SessionRecord = {
        tokenHash: sha256(token),
        userId: user.id,
        csrfToken: randomToken(),
        createdAtMs,
        expiresAtMs: createdAtMs + sessionDays * DAY_MS,
        lastSeenAtMs: createdAtMs,
      };
      await store.createSession(session);
      return { token, session, user };
    },

    /**
     * The session behind a cookie's token, when it is live and its account enabled. A session
     * ends SESSION_DAYS after sign-in, or SESSION_IDLE_DAYS after its last use; each use moves
     * the latter on (written at most once a minute).
     */
    async session(token: string): Promise<{ session: SessionRecord; user: UserRecord } | undefined> {
      const found = await store.sessionByTokenHash(sha256(token));
      if (!found) return undefined;
      const at = now();
      if (found.session.expiresAtMs <= at || found.session.lastSeenAtMs + sessionIdleDays * DAY_MS <= at) {
        await store.deleteSession(found.session.tokenHash);
        return undefined;
      }
      if (found.user.disabled) return undefined;
      if (at - found.session.lastSeenAtMs >= TOUCH_EVERY_MS) {
        await store.touchSession(found.session.tokenHash, at);
        return { ...found, session: { ...found.session, lastSeenAtMs: at } };
      }
      return found;
    },

    async signOut(tokenHash: string): Promise<void> {
      await store.deleteSession(tokenHash);
    },

    /** The account behind an API token, when it exists, has not expired and the account is enabled. */
    async tokenUser(token: string): Promise<{ token: ApiTokenRecord; user: UserRecord } | undefined> {
      const found = await store.apiTokenByHash(sha256(token));
      if (!found || found.user.disabled) return undefined;
      const at = now();
      if (found.token.expiresAt !== null && Date.parse(found.token.expiresAt) <= at) return undefined;
      // One write a minute at most per token, not one per request.
      if (!found.token.lastUsedAt || at - Date.parse(found.token.lastUsedAt) >= TOUCH_EVERY_MS) {
        await store.touchApiToken(found.token.id, new Date(at).toISOString());
      }
      return found;
    },

    sessionInfo(user: User, session: SessionRecord): SessionInfo {
      return {
        user: {
          id: user.id,
          email: user.email,
          name: user.name,
          role: user.role,
          communes: user.communes.map(communeRef),
          ...(user.departement && { departement: user.departement }),
        },
        csrfToken: session.csrfToken,
        expiresAt: new Date(session.expiresAtMs).toISOString(),
        mustChangePassword: user.mustChangePassword,
      };
    },

    /**
     * A new API token for `userId`, valid `options.days` days or until revoked. Whoever calls
     * this has already established that the caller may (routes: a browser session that
     * confirmed its password; the shell command).
     */
    async createToken(userId: string, name: unknown, actor: Actor = SHELL_ACTOR, options: TokenOptions = {}): Promise<CreatedToken> {
      if (typeof name !== 'string' || name.trim() === '') throw badRequest('Donnez un nom au jeton (ex. « import Tower Collector »)');
      if (name.trim().length > 100) throw badRequest('Le nom du jeton dépasse 100 caractères');
      if (hasNulCharacter(name)) throw badRequest(`Le nom du jeton ${NUL_MESSAGE}`);
      const days = tokenDays(options.days);
      const user = await store.userById(userId);
      if (!user) throw new HttpError(404, 'Aucun compte ne porte cet identifiant');
      const token = newApiToken();
      const createdAtMs = now();
      const record: ApiTokenRecord = {
        id: randomUUID(),
        userId,
        name: name.trim(),
        tokenHash: sha256(token),
        createdAt: new Date(createdAtMs).toISOString(),
        lastUsedAt: null,
        expiresAt: days === undefined ? null : new Date(createdAtMs + days * DAY_MS).toISOString(),
      };
      await store.createApiToken(record);
      await audit(actor, 'token.create', 'token', record.id, { userId, name: record.name, ...(record.expiresAt && { expiresAt: record.expiresAt }) });
      return { ...publicToken(record), token };
    },

    async listTokens(userId: string): Promise<PublicToken[]> {
      return (await store.listApiTokens(userId)).map(publicToken);
    },

    async tokenOwner(tokenId: string): Promise<string | undefined> {
      return (await store.apiTokenById(tokenId))?.userId;
    },

    async revokeToken(tokenId: string, actor: Actor): Promise<void> {
      const token = await store.apiTokenById(tokenId);
      if (!token || !(await store.deleteApiToken(tokenId))) throw new HttpError(404, 'Aucun jeton ne porte cet identifiant');
      await audit(actor, 'token.revoke', 'token', tokenId, { userId: token.userId, name: token.name });
    },

    async userById(id: string): Promise<User | undefined> {
      const user = await store.userById(id);
      return user && toPublicUser(user);
    },

    async userByEmail(email: string): Promise<User | undefined> {
      const user = await store.userByEmail(email.trim().toLowerCase());
      return user && toPublicUser(user);
    },

    listUsers: () => store.listUsers(),
  };
}
