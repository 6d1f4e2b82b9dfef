import type pg from 'pg';
import type { Role } from '../../../domain/account.ts';
import {
  DuplicateEmailError,
  type AccountStore,
  type ApiTokenRecord,
  type SessionRecord,
  type StoredAuditEntry,
  type UserRecord,
} from '../account-store.ts';
import { isUniqueViolation } from './postgres-db.ts';

/**
 * The PostgreSQL side of account-store.ts: tables `users`, `sessions`, `api_tokens` and
 * `audit_log` (migration 1).
 *
 * Lists sort text with `COLLATE "C"` (byte order, as SQLite compares), so that both stores
 * list in the same order whatever the database's own collation (fr_FR would ignore the dots
 * and hyphens of e-mails).
 */

interface UserRow {
  id: string;
  email: string;
  name: string;
  password_hash: string;
  role: Role;
  communes: string[];
  departement: string | null;
  disabled: boolean;
  created_at: string;
  updated_at: string;
}

interface SessionRow {
  token_hash: string;
  user_id: string;
  csrf_token: string;
  created_at_ms: number;
  expires_at_ms: number;
}

interface TokenRow {
  id: string;
  user_id: string;
  name: string;
  token_hash: string;
  created_at: string;
  last_used_at: string | null;
}

interface AuditRow {
  seq: number;
  at: string;
  actor_id: string | null;
  actor_label: string;
  action: string;
  target_type: StoredAuditEntry['targetType'];
  target_id: string | null;
  details: Record<string, unknown>;
}

const toUser = (row: UserRow): UserRecord => ({
  id: row.id,
  email: row.email,
  name: row.name,
  passwordHash: row.password_hash,
  role: row.role,
  communes: row.communes,
  departement: row.departement,
  disabled: row.disabled,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

const toSession = (row: SessionRow): SessionRecord => ({
  tokenHash: row.token_hash,
  userId: row.user_id,
  csrfToken: row.csrf_token,
  createdAtMs: row.created_at_ms,
  expiresAtMs: row.expires_at_ms,
});

const toToken = (row: TokenRow): ApiTokenRecord => ({
  id: row.id,
  userId: row.user_id,
  name: row.name,
  tokenHash: row.token_hash,
  createdAt: row.created_at,
  lastUsedAt: row.last_used_at,
});

/** What updateUser may set, and how each value is written. */
const USER_COLUMNS: Record<string, { column: string; write?: (value: unknown) => unknown }> = {
  name: { column: 'name' },
  passwordHash: { column: 'password_hash' },
  role: { column: 'role' },
  // node-postgres would send an array as a PostgreSQL array literal, not as JSON.
  communes: { column: 'communes', write: (value) => JSON.stringify(value) },
  departement: { column: 'departement' },
  disabled: { column: 'disabled' },
  updatedAt: { column: 'updated_at' },
};

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
          `INSERT INTO users (id, email, name, password_hash, role, communes, departement, disabled, created_at, updated_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
          [user.id, user.email, user.name, user.passwordHash, user.role, JSON.stringify(user.communes), user.departement, user.disabled, user.createdAt, user.updatedAt],
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
      const sets: string[] = [];
      const values: unknown[] = [id];
      for (const [key, value] of Object.entries(changes)) {
        const target = USER_COLUMNS[key];
        if (value === undefined || !target) continue;
        values.push(target.write ? target.write(value) : value);
        sets.push(`${target.column} = $${values.length}`);
      }
      const { rows } = await pool.query<UserRow>(`UPDATE users SET ${sets.join(', ')} WHERE id = $1 RETURNING *`, values);
      return rows[0] && toUser(rows[0]);
    },

    async createSession(session) {
      await pool.query(
        'INSERT INTO sessions (token_hash, user_id, csrf_token, created_at_ms, expires_at_ms) VALUES ($1, $2, $3, $4, $5)',
        [session.tokenHash, session.userId, session.csrfToken, session.createdAtMs, session.expiresAtMs],
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
    async deleteUserSessions(userId) {
      return (await pool.query('DELETE FROM sessions WHERE user_id = $1', [userId])).rowCount ?? 0;
    },
    async deleteExpiredSessions(nowMs) {
      return (await pool.query('DELETE FROM sessions WHERE expires_at_ms <= $1', [nowMs])).rowCount ?? 0;
    },

    async createApiToken(token) {
      await pool.query(
        'INSERT INTO api_tokens (id, user_id, name, token_hash, created_at, last_used_at) VALUES ($1, $2, $3, $4, $5, $6)',
        [token.id, token.userId, token.name, token.tokenHash, token.createdAt, token.lastUsedAt],
      );
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

    async appendAudit(entry) {
      await pool.query(
        `INSERT INTO audit_log (at, actor_id, actor_label, action, target_type, target_id, details)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [entry.at, entry.actorId, entry.actorLabel, entry.action, entry.targetType, entry.targetId, detailsJson(entry.details)],
      );
    },
    async listAudit(limit) {
      const { rows } = await pool.query<AuditRow>('SELECT * FROM audit_log ORDER BY seq DESC LIMIT $1', [limit]);
      return rows.map((row) => ({
        seq: row.seq,
        at: row.at,
        actorId: row.actor_id,
        actorLabel: row.actor_label,
        action: row.action,
        targetType: row.target_type,
        targetId: row.target_id,
        details: row.details,
      }));
    },
  };
}
