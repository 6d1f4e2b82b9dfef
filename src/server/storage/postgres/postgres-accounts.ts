import type pg from 'pg';
import { DuplicateEmailError, type AccountStore } from '../account-store.ts';
import { columnChanges, toAuditEntry, toSession, toToken, toUser, USER_COLUMNS, type AuditRow, type SessionRow, type TokenRow, type UserRow } from '../rows.ts';
import { isUniqueViolation } from './postgres-db.ts';

/**
 * The PostgreSQL side of account-store.ts: tables `users`, `sessions`, `api_tokens` and
 * `audit_log` (migration 1; sessions' last use and tokens' expiry: migration 3; provisional
 * passwords: migration 5).
 *
 * Lists sort text with `COLLATE "C"` (byte order, as SQLite compares), so that both stores
 * list in the same order whatever the database's own collation (fr_FR would ignore the dots
 * and hyphens of e-mails).
 */

/**
 * The audit details as jsonb accepts them. jsonb refuses U+0000 and unpaired surrogates, which
 * SQLite keeps; a zone or campaign name may carry them (the route schemas only bound lengths),
 * and the action is already done when its audit entry is written, so refusing the entry would
 * answer 500 for a change that happened. Both become U+FFFD, as text columns store an unpaired
 * surrogate.
 */
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const detailsJson = (details: Record<string, unknown>) =>
  JSON.stringify(details, (_key, value: unknown) => (typeof value === 'string' ? value.replace(UNSTORABLE, '\uFFFD') : value));

export function createPostgresAccounts(pool: pg.Pool): AccountStore {
  const oneUser = async (sql: string, value: string) => {
    const { rows } = await pool.query<UserRow>(sql, [value]);
    return rows[0] && toUser(rows[0]);
  };

  return {
    async createUser(user) {
      try {
        await pool.query(
          `INSERT INTO users (id, email, name, password_hash, must_change_password, role, communes, departement, disabled, created_at, updated_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
          [
            user.id,
            user.email,
            user.name,
            user.passwordHash,
            user.mustChangePassword,
            user.role,
            JSON.stringify(user.communes),
            user.departement,
            user.disabled,
            user.createdAt,
            user.updatedAt,
          ],
        );
      } catch (error) {
        // The constraint, not a read before the insert: two processes creating one e-mail at once.
        if (isUniqueViolation(error, 'users_email_key')) throw new DuplicateEmailError(user.email);
        throw error;
      }
    },
    userById(id) {
      return oneUser('SELECT * FROM users WHERE id = $1', id);
    },
    userByEmail(email) {
      return oneUser('SELECT * FROM users WHERE email = $1', email);
    },
    async listUsers() {
      const { rows } = await pool.query<UserRow>('SELECT * FROM users ORDER BY created_at COLLATE "C", email COLLATE "C"');
      return rows.map((row) => {
        const { passwordHash: _, ...user } = toUser(row);
        return user;
      });
    },
    async updateUser(id, changes) {
      const sets = columnChanges(USER_COLUMNS, changes);
      const values = [id, ...sets.map(({ value }) => value)];
      const assignments = sets.map(({ column }, i) => `${column} = $${i + 2}`);
      // Nothing to set is no SQL to write ("SET WHERE" does not parse): the account as it is.
      const sql = sets.length === 0 ? 'SELECT * FROM users WHERE id = $1' : `UPDATE users SET ${assignments.join(', ')} WHERE id = $1 RETURNING *`;
      const { rows } = await pool.query<UserRow>(sql, values);
      return rows[0] && toUser(rows[0]);
    },

    async createSession(session) {
      await pool.query(
        'INSERT INTO sessions (token_hash, user_id, csrf_token, created_at_ms, expires_at_ms, last_seen_at_ms) VALUES ($1, $2, $3, $4, $5, $6)',
        [session.tokenHash, session.userId, session.csrfToken, session.createdAtMs, session.expiresAtMs, session.lastSeenAtMs],
      );
    },
    async sessionByTokenHash(tokenHash) {
      // Every authenticated request asks this: one round trip, the user's columns under their own names.
      const { rows } = await pool.query<{ session: SessionRow; user: UserRow }>(
        'SELECT to_jsonb(s) AS session, to_jsonb(u) AS user FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1',
        [tokenHash],
      );
      return rows[0] && { session: toSession(rows[0].session), user: toUser(rows[0].user) };
    },
    async deleteSession(tokenHash) {
      await pool.query('DELETE FROM sessions WHERE token_hash = $1', [tokenHash]);
    },
    async touchSession(tokenHash, atMs) {
      await pool.query('UPDATE sessions SET last_seen_at_ms = $1 WHERE token_hash = $2', [atMs, tokenHash]);
    },
    async deleteUserSessions(userId, exceptTokenHash) {
      return (await pool.query('DELETE FROM sessions WHERE user_id = $1 AND token_hash IS DISTINCT FROM $2', [userId, exceptTokenHash ?? null])).rowCount ?? 0;
    },
    async deleteExpiredSessions(nowMs, idleSinceMs) {
      return (await pool.query('DELETE FROM sessions WHERE expires_at_ms <= $1 OR last_seen_at_ms <= $2', [nowMs, idleSinceMs])).rowCount ?? 0;
    },

    async createApiToken(token) {
      await pool.query('INSERT INTO api_tokens (id, user_id, name, token_hash, created_at, last_used_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)', [
        token.id,
        token.userId,
        token.name,
        token.tokenHash,
        token.createdAt,
        token.lastUsedAt,
        token.expiresAt,
      ]);
    },
    async apiTokenByHash(tokenHash) {
      const { rows } = await pool.query<{ token: TokenRow; user: UserRow }>(
        'SELECT to_jsonb(t) AS token, to_jsonb(u) AS user FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = $1',
        [tokenHash],
      );
      return rows[0] && { token: toToken(rows[0].token), user: toUser(rows[0].user) };
    },
    async apiTokenById(id) {
      const { rows } = await pool.query<TokenRow>('SELECT * FROM api_tokens WHERE id = $1', [id]);
      return rows[0] && toToken(rows[0]);
    },
    async listApiTokens(userId) {
      const { rows } = await pool.query<TokenRow>('SELECT * FROM api_tokens WHERE user_id = $1 ORDER BY created_at COLLATE "C", id COLLATE "C"', [userId]);
      return rows.map(toToken);
    },
    async touchApiToken(id, at) {
      await pool.query('UPDATE api_tokens SET last_used_at = $1 WHERE id = $2', [at, id]);
    },
    async deleteApiToken(id) {
      return (await pool.query('DELETE FROM api_tokens WHERE id = $1', [id])).rowCount === 1;
    },
    async deleteUserApiTokens(userId) {
      return (await pool.query('DELETE FROM api_tokens WHERE user_id = $1', [userId])).rowCount ?? 0;
    },

    async appendAudit(entry) {
      await pool.query(
        `INSERT INTO audit_log (at, actor_id, actor_label, action, target_type, target_id, details)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [entry.at, entry.actorId, entry.actorLabel, entry.action, entry.targetType, entry.targetId, detailsJson(entry.details)],
      );
    },
    async listAudit(limit) {
      const { rows } = await pool.query<AuditRow>('SELECT * FROM audit_log ORDER BY seq DESC LIMIT $1', [limit]);
      return rows.map(toAuditEntry);
    },
  };
}
