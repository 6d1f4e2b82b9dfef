import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatPeriod } from '../../src/app/campaigns/campaign-calendar.ts';
import { describeConnection } from '../../src/app/evidence/describe-evidence.ts';
import { withoutConnectionFigures } from '../../src/app/evidence/store-with-evidence.ts';
import { agree, formatDayRange, plural } from '../../src/app/format.ts';
import { ANSWER_WINDOW_MS, CALL_TEST_MS, answerExpired } from '../../src/app/survey/guided-test.ts';
import type { Reading } from '../../src/domain/reading.ts';

describe('French wording', () => {
  it('agrees with a count as French does: singular for 0 and 1', () => {
    expect(plural(0, 'relevé')).toBe('0 relevé');
    expect(plural(1, 'relevé déjà enregistré reste', 'relevés déjà enregistrés restent')).toBe('1 relevé déjà enregistré reste');
    expect(plural(2, 'relevé')).toBe('2 relevés');
    expect(plural(1500, 'tuile')).toBe('1\u202f500 tuiles');
    expect(agree(1, 'Il partira', 'Ils partiront')).toBe('Il partira');
    expect(agree(3, 'Il partira', 'Ils partiront')).toBe('Ils partiront');
  });

  it('says a one-day period once', () => {
    expect(formatPeriod('2026-12-04', '2026-12-04')).toBe('le 4 décembre 2026');
    expect(formatPeriod('2026-05-04', '2026-06-18')).toBe('du 4 mai au 18 juin 2026');
    expect(formatPeriod('2026-12-20', '2027-01-05')).toBe('du 20 décembre 2026 au 5 janvier 2027');
    expect(formatDayRange(new Date(2026, 11, 4, 8), new Date(2026, 11, 4, 18))).toBe('le 4 décembre 2026');
  });

  it('writes one typographic apostrophe in the app’s French text, never a straight one', async () => {
    const offenders: string[] = [];
    const files = async (dir: string): Promise<string[]> =>
      (
        await Promise.all(
          (await readdir(dir, { withFileTypes: true })).map((entry) => (entry.isDirectory() ? files(join(dir, entry.name)) : [join(dir, entry.name)])),
        )
      ).flat();
    for (const file of [...(await files('src/app')), 'src/domain/reading.ts', 'src/domain/tiles.ts'].filter((name) => /\.tsx?$/.test(name))) {
      (await readFile(file, 'utf8')).split('\n').forEach((line, index) => {
        if (/^\s*(\/\/|\*|\/\*)/.test(line)) return;
        // d'appel, l'appareil, n'a, qu'il, jusqu'à: French elisions written with U+0027.
        if (/(^|[\s«>("`])(?:[dlnsjcmt]|qu|jusqu|lorsqu|puisqu)'[a-zàâäéèêëîïôöûùüçœh]/i.test(line)) offenders.push(`${file}:${index + 1}: ${line.trim()}`);
      });
    }
    expect(offenders).toEqual([]);
  });
});

describe('evidence of a reading saved offline', () => {
  const connection = { available: true, type: 'cellular', effectiveType: '4g', downlinkMbps: 9.3 };

  it('does not keep nor show what the browser still says of the last network', () => {
    expect(describeConnection(connection, { startedAt: '2026-12-04T10:00:00+01:00', durationMs: 0, result: 'device-offline' })).toBeUndefined();
    expect(describeConnection(connection, undefined)).toBe('Réseau selon le navigateur : cellular, 4g, ~9,3 Mbit/s');
    const reading = { id: 'x', connection, operator: 'orange' } as unknown as Reading;
    expect(withoutConnectionFigures(reading)).toEqual({ id: 'x', operator: 'orange' });
  });
});

describe('the guided tests’ question', () => {
  it('closes five minutes after the call’s end or the SMS’s sending', () => {
    const startedAt = Date.parse('2026-12-04T10:00:00+01:00');
    expect(ANSWER_WINDOW_MS).toBe(5 * 60_000);
    // The call ran its minute: the question opened then.
    expect(answerExpired('call', { startedAt, number: '3179' }, startedAt + CALL_TEST_MS + ANSWER_WINDOW_MS - 1)).toBe(false);
    expect(answerExpired('call', { startedAt, number: '3179' }, startedAt + CALL_TEST_MS + ANSWER_WINDOW_MS)).toBe(true);
    // « Appel terminé » after 20 s: the five minutes run from then.
    expect(answerExpired('call', { startedAt, endedAt: startedAt + 20_000, number: '3179' }, startedAt + 20_000 + ANSWER_WINDOW_MS)).toBe(true);
    expect(answerExpired('call', { startedAt, number: '3179' }, startedAt + 15 * 60_000)).toBe(true);
    expect(answerExpired('sms', { startedAt, number: '3179' }, startedAt + ANSWER_WINDOW_MS - 1)).toBe(false);
  });
});
