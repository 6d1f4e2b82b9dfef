import pg from 'pg';

/**
 * The connection pool and the transaction rule every PostgreSQL module follows.
 *
 * Numbers: bigint (int8) columns hold epoch milliseconds and sequence numbers, all far below
 * 2^53, so they are read as JavaScript numbers (node-postgres reads them as strings by
 * default); double precision and integer already are. jsonb is parsed by node-postgres.
 */

const INT8_OID = 20;
const NUMERIC_OID = 1700;

const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8_OID || oid === NUMERIC_OID) return (text: string) => Number(text);
    return pg.types.getTypeParser(oid, format);
  },
} as pg.CustomTypesConfig;

export type Queryable = Pick<pg.Pool | pg.PoolClient, 'query'>;

export interface PostgresPoolOptions {
  /** A schema to work in (created when missing), instead of the connection's search_path. */
  schema?: string;
  /** Connections held at most by this process (default 10). */
  max?: number;
  /** A statement running longer is cancelled (57014, answered 503: store-busy.ts). Default 30 s; tests shorten it. */
  statementTimeoutMs?: number;
  /** A request waiting longer for a free connection fails (answered 503). Default 10 s. */
  connectionTimeoutMs?: number;
}

export function createPool(url: string, { schema, max = 10, statementTimeoutMs = 30_000, connectionTimeoutMs = 10_000 }: PostgresPoolOptions = {}): pg.Pool {
  if (schema !== undefined && !/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`Nom de schéma invalide : ${schema}`);
  return new pg.Pool({
    connectionString: url,
    max,
    types,
    // A query stuck behind a lock for this long is a bug or an outage: fail it rather than hang the request.
    statement_timeout: statementTimeoutMs,
    connectionTimeoutMillis: connectionTimeoutMs,
    application_name: 'couverture',
    ...(schema !== undefined && { options: `-c search_path=${schema}` }),
  });
}

/** SQLSTATEs worth running the whole transaction again for: nothing of it was committed. */
const RETRYABLE = new Set(['40001' /* serialization_failure */, '40P01' /* deadlock_detected */]);
const ATTEMPTS = 5;

/**
 * Runs `work` in one transaction on one connection: committed when it resolves, rolled back
 * when it throws. A deadlock or serialization failure (two processes writing the same rows)
 * runs it again from the start, after a short random pause so that the two do not meet again
 * in step; `work` must not have effects outside the database. Still failing after ATTEMPTS,
 * the error goes up, and the client is answered 503 with Retry-After (store-busy.ts), not 500.
 */
export async function inTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      const code = (error as { code?: string }).code;
      if (attempt >= ATTEMPTS || code === undefined || !RETRYABLE.has(code)) throw error;
    } finally {
      client.release();
    }
    await new Promise((resolve) => setTimeout(resolve, retryPauseMs(attempt)));
  }
}

/** 10–40 ms after the first failure, growing with each: enough for the transaction that won to commit. */
function retryPauseMs(attempt: number): number {
  return Math.round(attempt * (10 + Math.random() * 30));
}

/** Whether `error` is PostgreSQL's unique_violation (optionally on one constraint). */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const { code, constraint: violated } = error as { code?: string; constraint?: string };
  return code === '23505' && (constraint === undefined || violated === constraint);
}
