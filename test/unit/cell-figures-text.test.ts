import { describe, expect, it } from 'vitest';
import { coverageLine, protocolLines, rateWithInterval } from '../../src/app/cells/figures-text.ts';
import { protocolFigures } from '../../src/domain/grid/operator-figures.ts';
import { emptyTally } from '../../src/domain/grid/test-tally.ts';

describe('the statistics behind a verdict, in words', () => {
  it('says a rate with its interval and how many conforming tests it rests on', () => {
    const tally = emptyTally();
    tally.call = { success: 33, partial: 0, failure: 7 };
    const [calls] = protocolLines(protocolFigures('map-check', tally));
    // 33 / 40: Wilson 68–91 % at 95 %.
    expect(calls).toBe('taux de réussite des appels : 83 % [68–91 %] sur 40 appels conformes (objectif : non atteint)');
    expect(rateWithInterval({ successes: 0, trials: 4, rate: 0, low: 0, high: 0.49 })).toBe('0 % [0–49 %]');
  });

  // 1 of 2: 9–91 %, wholly below 95 %: the objective is not reached, even on two calls.
  it('says when the share straddles the threshold, and the QoS tests with their classes', () => {
    const coverage = { successes: 3, trials: 3, rate: 1, low: 0.4385, high: 1 };
    expect(coverageLine({ coverage, coverageSide: 'straddles', noCoverage: null, protocols: [] })).toBe(
      'relevés en BC ou mieux : 100 % [44–100 %] sur 3 relevés — de part et d’autre du seuil : insuffisant',
    );
    const tally = emptyTally();
    tally.call = { success: 1, partial: 1, failure: 0 };
    tally.download['8-30'] = 1;
    tally.offline = 2;
    expect(protocolLines(protocolFigures('qos', tally))).toEqual([
      'taux de réussite des appels : 50 % [9–91 %] sur 2 appels conformes, dont 1 tenu avec une voix dégradée (objectif : non atteint)',
      'débit au-delà de 8 Mbit/s : 100 % [21–100 %] sur 1 essai (8 à 30 Mbit/s : 1)',
      'tests de données impossibles, appareil hors ligne : 2',
    ]);
  });
});
