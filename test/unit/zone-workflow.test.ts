import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { ZONE_STATUSES, ZoneDraftSchema, ZoneMoveSchema, canMoveZone, nextStatuses, type ZoneStatus } from '../../src/domain/zone.ts';

describe('zone workflow', () => {
  // The whole transition table, so that a change to it is a visible decision.
  const allowed: Record<ZoneStatus, ZoneStatus[]> = {
    'a-etudier': ['retenue', 'ecartee'],
    retenue: ['transmise', 'a-etudier', 'ecartee'],
    transmise: ['arretee', 'ecartee'],
    arretee: ['couverte', 'ecartee'],
    couverte: [],
    ecartee: ['a-etudier'],
  };

  it.each(ZONE_STATUSES.flatMap((from) => ZONE_STATUSES.map((to) => [from, to] as const)))('%s → %s follows the table', (from, to) => {
    expect(canMoveZone(from, to)).toBe(allowed[from].includes(to));
  });

  it('never lets a zone stay where it is by a "move"', () => {
    for (const status of ZONE_STATUSES) expect(nextStatuses(status)).not.toContain(status);
  });

  it('reaches « couverte » from « à étudier » only through every step', () => {
    const path: ZoneStatus[] = ['a-etudier', 'retenue', 'transmise', 'arretee', 'couverte'];
    for (let i = 1; i < path.length; i++) expect(canMoveZone(path[i - 1]!, path[i]!)).toBe(true);
    expect(canMoveZone('a-etudier', 'transmise')).toBe(false);
    expect(canMoveZone('retenue', 'couverte')).toBe(false);
  });
});

describe('zone draft', () => {
  const draft = { name: '  Vallée de l’Hérault ', cells: ['CRS3035RES200mN2294600E3780000'], need: 'habitations' };

  it('trims the name and accepts a valid draft', () => {
    const result = v.safeParse(ZoneDraftSchema, draft);
    expect(result.success && result.output.name).toBe('Vallée de l’Hérault');
  });

  it.each([
    [{ name: '   ' }, 'Donnez un nom à la zone'],
    [{ cells: [] }, 'Une zone contient au moins une maille'],
    [{ cells: ['N2294600E3780000'] }, 'Identifiant de maille INSPIRE invalide (ex. CRS3035RES200mN2029800E4252000)'],
    [{ need: 'golf' }, 'Besoin inconnu : attendu habitations, axe-routier, site-touristique, activite-economique, services-publics, autre'],
  ])('refuses %j with « %s »', (patch, message) => {
    const result = v.safeParse(ZoneDraftSchema, { ...draft, ...patch });
    expect(result.success).toBe(false);
    expect(result.issues?.map((issue) => issue.message)).toEqual([message]);
  });

  it('asks for a reason with every move', () => {
    const result = v.safeParse(ZoneMoveSchema, { status: 'retenue', reason: ' ' });
    expect(result.issues?.map((issue) => issue.message)).toEqual(['Dites pourquoi la zone change d’étape']);
  });
});
