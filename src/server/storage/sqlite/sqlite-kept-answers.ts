import type Database from 'better-sqlite3';
import type { KeptAnswerStore, StoredAnswer } from '../kept-answer-store.ts';

interface Row {
  query: string;
  version: string;
  generation: number;
  type: string;
  text_bytes: number;
  brotli: Buffer;
  built_at: number;
}

/** The SQLite side of kept-answer-store.ts: tables `kept_answers` and `kept_answers_generation` (migration 18). */
export function createSqliteKeptAnswers(db: Database.Database): KeptAnswerStore {
  const generation = db.prepare<[], number>('SELECT generation FROM kept_answers_generation').pluck();
  const keep = db.prepare<Row>(`
    INSERT INTO kept_answers (query, version, generation, type, text_bytes, brotli, built_at)
    VALUES (@query, @version, @generation, @type, @text_bytes, @brotli, @built_at)
    ON CONFLICT (query) DO UPDATE SET
      version = excluded.version, generation = excluded.generation, type = excluded.type,
      text_bytes = excluded.text_bytes, brotli = excluded.brotli, built_at = excluded.built_at
    WHERE excluded.built_at >= kept_answers.built_at AND excluded.version <> kept_answers.version`);
  const byQuery = db.prepare<[string], Row>('SELECT * FROM kept_answers WHERE query = ?');
  const nextGeneration = db.prepare('UPDATE kept_answers_generation SET generation = generation + 1');
  const dropOlder = db.prepare('DELETE FROM kept_answers WHERE generation < (SELECT generation FROM kept_answers_generation)');
  const forget = db.transaction(() => {
    nextGeneration.run();
    dropOlder.run();
  });
  const queries = db.prepare<[], string>('SELECT query FROM kept_answers').pluck();
  const drop = db.prepare<[string]>('DELETE FROM kept_answers WHERE query IN (SELECT value FROM json_each(?))');

  return {
    async keptAnswersGeneration() {
      return generation.get() ?? 0;
    },
    async keepAnswer(answer) {
      keep.run({
        query: answer.query,
        version: answer.version,
        generation: answer.generation,
        type: answer.type,
        text_bytes: answer.textBytes,
        brotli: answer.brotli,
        built_at: answer.builtAt,
      });
    },
    async keptAnswers(queries) {
      const rows: StoredAnswer[] = [];
      for (const query of queries) {
        const row = byQuery.get(query);
        if (row) rows.push(storedAnswer(row));
      }
      return rows;
    },
    async forgetKeptAnswers() {
      forget.immediate();
    },
    async keptAnswerQueries() {
      return queries.all();
    },
    async dropKeptAnswers(dropped) {
      if (dropped.length > 0) drop.run(JSON.stringify(dropped));
    },
  };
}

function storedAnswer(row: Row): StoredAnswer {
  return {
    query: row.query,
    version: row.version,
    generation: row.generation,
    type: row.type,
    textBytes: row.text_bytes,
    brotli: row.brotli,
    builtAt: row.built_at,
  };
}
