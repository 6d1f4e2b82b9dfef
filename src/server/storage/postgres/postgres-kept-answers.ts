import type pg from 'pg';
import type { KeptAnswerStore, StoredAnswer } from '../kept-answer-store.ts';

interface Row {
  query: string;
  version: string;
  generation: string;
  type: string;
  text_bytes: number;
  brotli: Buffer;
  built_at: string;
}

/** The PostgreSQL side of kept-answer-store.ts: tables `kept_answers` and `kept_answers_generation` (migration 14). */
export function createPostgresKeptAnswers(pool: pg.Pool): KeptAnswerStore {
  return {
    async keptAnswersGeneration() {
      const { rows } = await pool.query<{ generation: string }>('SELECT generation FROM kept_answers_generation');
      return Number(rows[0]?.generation ?? 0);
    },
    async keepAnswer(answer) {
      // One statement: two processes keeping the same query take turns on its row. A row that
      // holds this version already is left as it is: both processes starting on an empty table
      // build the same tiles, and the second's answer (the same bytes) is not written again.
      await pool.query(
        `INSERT INTO kept_answers AS k (query, version, generation, type, text_bytes, brotli, built_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (query) DO UPDATE SET
           version = excluded.version, generation = excluded.generation, type = excluded.type,
           text_bytes = excluded.text_bytes, brotli = excluded.brotli, built_at = excluded.built_at
         WHERE excluded.built_at >= k.built_at AND excluded.version <> k.version`,
        [answer.query, answer.version, answer.generation, answer.type, answer.textBytes, answer.brotli, answer.builtAt],
      );
    },
    async keptAnswers(queries) {
      if (queries.length === 0) return [];
      const { rows } = await pool.query<Row>('SELECT * FROM kept_answers WHERE query = ANY($1::text[])', [queries]);
      return rows.map(storedAnswer);
    },
    async forgetKeptAnswers() {
      // One statement, so one transaction: the generation moves on and the older rows go together.
      await pool.query(`WITH next AS (UPDATE kept_answers_generation SET generation = generation + 1 RETURNING generation)
        DELETE FROM kept_answers WHERE generation < (SELECT generation FROM next)`);
    },
    async keptAnswerQueries() {
      const { rows } = await pool.query<{ query: string }>('SELECT query FROM kept_answers');
      return rows.map((row) => row.query);
    },
    async dropKeptAnswers(queries) {
      if (queries.length > 0) await pool.query('DELETE FROM kept_answers WHERE query = ANY($1::text[])', [queries]);
    },
  };
}

function storedAnswer(row: Row): StoredAnswer {
  return {
    query: row.query,
    version: row.version,
    generation: Number(row.generation),
    type: row.type,
    textBytes: row.text_bytes,
    brotli: row.brotli,
    builtAt: Number(row.built_at),
  };
}
