import type pg from 'pg';
import type { AccountStore } from '../account-store.ts';

// Stub: written by the PostgreSQL accounts work.
export function createPostgresAccounts(_pool: pg.Pool): AccountStore {
  const missing = async (): Promise<never> => {
    throw new Error('not implemented yet');
  };
  return {
    createUser: missing,
    userById: missing,
    userByEmail: missing,
    listUsers: missing,
    updateUser: missing,
    createSession: missing,
    sessionByTokenHash: missing,
    deleteSession: missing,
    deleteUserSessions: missing,
    deleteExpiredSessions: missing,
    createApiToken: missing,
    apiTokenByHash: missing,
    apiTokenById: missing,
    listApiTokens: missing,
    touchApiToken: missing,
    deleteApiToken: missing,
    appendAudit: missing,
    listAudit: missing,
  };
}
