import type Database from 'better-sqlite3';
import { DuplicateEmailError, type AccountStore } from '../account-store.ts';
import { columnChanges, toAuditEntry, toSession, toToken, toUser, USER_COLUMNS, type SessionRow, type TokenRow } from '../rows.ts';
import { auditRow, userRow, type SqliteAuditRow, type SqliteUserRow } from './sqlite-rows.ts';

/** The SQLite side of account-store.ts: tables `users`, `sessions`, `api_tokens` and `audit_log` (migration 2). */
export function createSqliteAccounts(db: Database.Database): AccountStore {
  const insertUser = db.prepare(`
    INSERT INTO users (id, email, name, password_hash, must_change_password, role, communes, departement, disabled, created_at, updated_at)
    VALUES (@id, @email, @name, @passwordHash, @mustChangePassword, @role, @communes, @departement, @disabled, @createdAt, @updatedAt)`);
  const userById = db.prepare<[string], SqliteUserRow>('SELECT * FROM users WHERE id = ?');
  const userByEmail = db.prepare<[string], SqliteUserRow>('SELECT * FROM users WHERE email = ?');
  const allUsers = db.prepare<[], SqliteUserRow>('SELECT * FROM users ORDER BY created_at, email');
  const insertSession = db.prepare(`
    INSERT INTO sessions (token_hash, user_id, csrf_token, created_at_ms, expires_at_ms, last_seen_at_ms)
    VALUES (@tokenHash, @userId, @csrfToken, @createdAtMs, @expiresAtMs, @lastSeenAtMs)`);
  const sessionByHash = db.prepare<[string], SessionRow>('SELECT * FROM sessions WHERE token_hash = ?');
  const deleteSession = db.prepare<[string]>('DELETE FROM sessions WHERE token_hash = ?');
  const touchSession = db.prepare<[number, string]>('UPDATE sessions SET last_seen_at_ms = ? WHERE token_hash = ?');
  const deleteUserSessions = db.prepare<[string, string | null]>('DELETE FROM sessions WHERE user_id = ? AND token_hash IS NOT ?');
  const deleteExpiredSessions = db.prepare<[number, number]>('DELETE FROM sessions WHERE expires_at_ms <= ? OR last_seen_at_ms <= ?');
  const insertToken = db.prepare(`
    INSERT INTO api_tokens (id, user_id, name, token_hash, created_at, last_used_at, expires_at)
    VALUES (@id, @userId, @name, @tokenHash, @createdAt, @lastUsedAt, @expiresAt)`);
  const tokenByHash = db.prepare<[string], TokenRow>('SELECT * FROM api_tokens WHERE token_hash = ?');
  const tokenById = db.prepare<[string], TokenRow>('SELECT * FROM api_tokens WHERE id = ?');
  const tokensOf = db.prepare<[string], TokenRow>('SELECT * FROM api_tokens WHERE user_id = ? ORDER BY created_at, id');
  const touchToken = db.prepare<[string, string]>('UPDATE api_tokens SET last_used_at = ? WHERE id = ?');
  const deleteToken = db.prepare<[string]>('DELETE FROM api_tokens WHERE id = ?');
  const deleteUserTokens = db.prepare<[string]>('DELETE FROM api_tokens WHERE user_id = ?');
  const insertAudit = db.prepare(`
    INSERT INTO audit_log (at, actor_id, actor_label, action, target_type, target_id, details)
    VALUES (@at, @actorId, @actorLabel, @action, @targetType, @targetId, @details)`);
  const latestAudit = db.prepare<[number], SqliteAuditRow>('SELECT * FROM audit_log ORDER BY seq DESC LIMIT ?');

  return {
    async createUser(user) {
      try {
        insertUser.run({
          ...user,
          communes: JSON.stringify(user.communes),
          disabled: user.disabled ? 1 : 0,
          mustChangePassword: user.mustChangePassword ? 1 : 0,
        });
      } catch (error) {
        if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') throw new DuplicateEmailError(user.email);
        throw error;
      }
    },
    async userById(id) {
      const row = userById.get(id);
      return row && toUser(userRow(row));
    },
    async userByEmail(email) {
      const row = userByEmail.get(email);
      return row && toUser(userRow(row));
    },
    async listUsers() {
      return allUsers.all().map((row) => {
        const { passwordHash: _, ...user } = toUser(userRow(row));
        return user;
      });
    },
    async updateUser(id, changes) {
      // better-sqlite3 binds no booleans.
      const sets = columnChanges(USER_COLUMNS, changes).map(({ column, value }) => ({ column, value: typeof value === 'boolean' ? (value ? 1 : 0) : value }));
      // Nothing to set is no SQL to write ("SET WHERE" does not parse): the account as it is.
      if (sets.length > 0) {
        db.prepare(`UPDATE users SET ${sets.map(({ column }) => `${column} = ?`).join(', ')} WHERE id = ?`).run(...sets.map(({ value }) => value), id);
      }
      const row = userById.get(id);
      return row && toUser(userRow(row));
    },

    async createSession(session) {
      insertSession.run(session);
    },
    async sessionByTokenHash(tokenHash) {
      const row = sessionByHash.get(tokenHash);
      if (!row) return undefined;
      const user = userById.get(row.user_id);
      return user && { session: toSession(row), user: toUser(userRow(user)) };
    },
    async deleteSession(tokenHash) {
      deleteSession.run(tokenHash);
    },
    async touchSession(tokenHash, atMs) {
      touchSession.run(atMs, tokenHash);
    },
    async deleteUserSessions(userId, exceptTokenHash) {
      return deleteUserSessions.run(userId, exceptTokenHash ?? null).changes;
    },
    async deleteExpiredSessions(nowMs, idleSinceMs) {
      return deleteExpiredSessions.run(nowMs, idleSinceMs).changes;
    },

    async createApiToken(token) {
      insertToken.run(token);
    },
    async apiTokenByHash(tokenHash) {
      const row = tokenByHash.get(tokenHash);
      if (!row) return undefined;
      const user = userById.get(row.user_id);
      return user && { token: toToken(row), user: toUser(userRow(user)) };
    },
    async apiTokenById(id) {
      const row = tokenById.get(id);
      return row && toToken(row);
    },
    async listApiTokens(userId) {
      return tokensOf.all(userId).map(toToken);
    },
    async touchApiToken(id, at) {
      touchToken.run(at, id);
    },
    async deleteApiToken(id) {
      return deleteToken.run(id).changes === 1;
    },
    async deleteUserApiTokens(userId) {
      return deleteUserTokens.run(userId).changes;
    },

    async appendAudit(entry) {
      insertAudit.run({ ...entry, details: JSON.stringify(entry.details) });
    },
    async listAudit(limit) {
      return latestAudit.all(limit).map((row) => toAuditEntry(auditRow(row)));
    },
  };
}
