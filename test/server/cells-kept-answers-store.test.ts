import { afterEach, describe, expect, it } from 'vitest';
import type { StoredAnswer } from '../../src/server/storage/kept-answer-store.ts';
import { openTestStore, tableRows, type TestStore } from '../support/test-store.ts';
import { useTempDir } from './fixtures.ts';

/**
 * The kept answers' rows themselves (storage/kept-answer-store.ts), as the two stores write
 * them: one row per query, a newer version replacing an older one, and a build of the version
 * a row already holds (a second process that built the same tile at its start) not written
 * again. On both stores.
 */

const tempDir = useTempDir();
let opened: TestStore | undefined;
afterEach(async () => {
  await opened?.dispose();
  opened = undefined;
});

const answer = (version: string, builtAt: number, text: string): StoredAnswer => ({
  query: 'compact|tuile|34',
  version,
  generation: 0,
  type: 'application/json; charset=utf-8',
  textBytes: text.length,
  brotli: Buffer.from(text),
  builtAt,
});

describe('the kept answers’ rows', () => {
  it('leaves a row that holds the version already as it is: a second process’s build of it is not written again', async () => {
    opened = await openTestStore(tempDir());
    const { store, location } = opened;
    await store.keepAnswer(answer('a-0-5', 1_000, 'premier'));
    // The other process began its build later, for the same version: the same answer.
    await store.keepAnswer(answer('a-0-5', 2_000, 'second'));
    const [kept] = await store.keptAnswers(['compact|tuile|34']);
    expect({ builtAt: kept!.builtAt, text: kept!.brotli.toString() }).toEqual({ builtAt: 1_000, text: 'premier' });

    // A newer version replaces it, and stays the only row of its query.
    await store.keepAnswer(answer('a-0-6', 3_000, 'plus récent'));
    const [newer] = await store.keptAnswers(['compact|tuile|34']);
    expect({ version: newer!.version, text: newer!.brotli.toString() }).toEqual({ version: 'a-0-6', text: 'plus récent' });
    expect((await tableRows(location, ['kept_answers'])).kept_answers).toHaveLength(1);
    // A slow build of the older version ending last is dropped.
    await store.keepAnswer(answer('a-0-5', 2_500, 'ancien'));
    expect((await store.keptAnswers(['compact|tuile|34']))[0]!.version).toBe('a-0-6');
  });

  it('lists the queries kept and drops the rows of those named, the others left as they are', async () => {
    opened = await openTestStore(tempDir());
    const { store } = opened;
    for (const query of ['a', 'b', 'c']) await store.keepAnswer({ ...answer('v', 1, query), query });
    expect((await store.keptAnswerQueries()).sort()).toEqual(['a', 'b', 'c']);
    await store.dropKeptAnswers([]);
    await store.dropKeptAnswers(['b', 'absente', "c' OR 1=1 --"]);
    expect((await store.keptAnswerQueries()).sort()).toEqual(['a', 'c']);
  });
});
