import { describe, expect, it } from 'vitest';
import {
  campaignFormOf,
  checkCampaignForm,
  draftOf,
  emptyCampaignForm,
  fieldOfServerMessage,
  patchOf,
  withCommune,
} from '../../src/app/campaigns/campaign-form.ts';
import type { Campaign } from '../../src/domain/campaign.ts';

const SAINT_GUILHEM = { code: '34261', name: 'Saint-Guilhem-le-Désert', departement: '34' };
const MONTPELLIER = { code: '34172', name: 'Montpellier', departement: '34' };

const CAMPAIGN: Campaign = {
  id: '7d4f5a52-3c1e-4b7a-9a51-0f3b2e6c9d10',
  name: 'Campagne Saint-Guilhem-le-Désert',
  communeInsee: '34261',
  communeName: 'Saint-Guilhem-le-Désert',
  departement: '34',
  startsOn: '2026-05-04',
  endsOn: '2026-05-29',
  operators: ['orange', 'sfr'],
  testNumber: '06 12 34 56 78',
  protocol: 'map-check',
  maxAccuracyM: 50,
  accuracyRule: 'warn',
  agentIds: ['agent-1'],
  createdBy: 'reviewer-1',
  createdAt: '2026-05-01T08:00:00.000Z',
  updatedAt: '2026-05-01T08:00:00.000Z',
};

describe('campaign form', () => {
  it('starts today for four weeks with the four operators, named after the commune', () => {
    const value = emptyCampaignForm('2026-05-04', SAINT_GUILHEM);
    expect(value).toMatchObject({
      name: 'Campagne Saint-Guilhem-le-Désert',
      startsOn: '2026-05-04',
      endsOn: '2026-05-31',
      operators: ['orange', 'sfr', 'bouygues', 'free'],
    });
    const checked = checkCampaignForm(value);
    expect(checked).toEqual({
      ok: true,
      draft: {
        communeInsee: '34261',
        name: 'Campagne Saint-Guilhem-le-Désert',
        startsOn: '2026-05-04',
        endsOn: '2026-05-31',
        operators: ['orange', 'sfr', 'bouygues', 'free'],
        protocol: 'map-check',
        maxAccuracyM: 50,
        accuracyRule: 'warn',
        agentIds: [],
      },
    });
  });

  it('renames after a new commune unless the name was typed by hand, and drops agents of the old one', () => {
    const first = { ...withCommune(emptyCampaignForm('2026-05-04'), SAINT_GUILHEM), agentIds: ['agent-1'] };
    expect(first.name).toBe('Campagne Saint-Guilhem-le-Désert');
    const moved = withCommune(first, MONTPELLIER);
    expect(moved.name).toBe('Campagne Montpellier');
    expect(moved.agentIds).toEqual([]);
    expect(withCommune({ ...first, name: 'Vallée de l’Hérault' }, MONTPELLIER).name).toBe('Vallée de l’Hérault');
  });

  it('reports each problem beside its field, with the shared schema’s messages', () => {
    const value = { ...emptyCampaignForm('2026-05-04'), startsOn: '2026-05-10', endsOn: '2026-05-01', operators: [], testNumber: 'appelez Paul' };
    const checked = checkCampaignForm(value);
    expect(checked.ok).toBe(false);
    if (checked.ok) return;
    expect(checked.errors.communeInsee).toBe('Choisissez la commune de la campagne');
    expect(checked.errors.operators).toBe('Choisissez au moins un opérateur à mesurer');
    expect(checked.errors.testNumber).toMatch(/^Numéro de test invalide/);
    // The period's check runs once the fields themselves are sound.
    const period = checkCampaignForm({ ...value, commune: SAINT_GUILHEM, operators: ['orange'], testNumber: '' });
    expect(period).toEqual({ ok: false, errors: { endsOn: 'La fin de la campagne précède son début' } });
  });

  it('sends operators in the app’s order and leaves out an empty name or test number', () => {
    const draft = draftOf({ ...emptyCampaignForm('2026-05-04', SAINT_GUILHEM), name: '  ', operators: ['free', 'orange'], testNumber: ' ' });
    expect(draft).toEqual({
      communeInsee: '34261',
      startsOn: '2026-05-04',
      endsOn: '2026-05-31',
      operators: ['orange', 'free'],
      protocol: 'map-check',
      maxAccuracyM: 50,
      accuracyRule: 'warn',
      agentIds: [],
    });
  });

  it('patches only what changed; an emptied test number is removed with null', () => {
    const rules = { protocol: 'map-check', maxAccuracyM: '50', accuracyRule: 'warn' } as const;
    const unchanged = checkCampaignForm({
      commune: SAINT_GUILHEM,
      name: CAMPAIGN.name,
      startsOn: CAMPAIGN.startsOn,
      endsOn: CAMPAIGN.endsOn,
      operators: ['sfr', 'orange'],
      testNumber: CAMPAIGN.testNumber!,
      ...rules,
      agentIds: ['agent-1'],
    });
    if (!unchanged.ok) throw new Error('valid form refused');
    expect(patchOf(CAMPAIGN, unchanged.draft)).toBeUndefined();

    const edited = checkCampaignForm({
      commune: SAINT_GUILHEM,
      name: CAMPAIGN.name,
      startsOn: CAMPAIGN.startsOn,
      endsOn: '2026-06-12',
      operators: ['orange'],
      testNumber: '',
      ...rules,
      agentIds: ['agent-1', 'agent-2'],
    });
    if (!edited.ok) throw new Error('valid form refused');
    expect(patchOf(CAMPAIGN, edited.draft)).toEqual({ endsOn: '2026-06-12', operators: ['orange'], testNumber: null, agentIds: ['agent-1', 'agent-2'] });

    const stricter = checkCampaignForm({ ...campaignFormOf(CAMPAIGN), protocol: 'qos', maxAccuracyM: '30', accuracyRule: 'refuse' });
    if (!stricter.ok) throw new Error('valid form refused');
    expect(patchOf(CAMPAIGN, stricter.draft)).toEqual({ protocol: 'qos', maxAccuracyM: 30, accuracyRule: 'refuse' });
    expect(checkCampaignForm({ ...campaignFormOf(CAMPAIGN), maxAccuracyM: '2' })).toEqual({
      ok: false,
      errors: { maxAccuracyM: 'La précision exigée va de 5 à 200 m' },
    });
  });

  it('places the server’s messages beside the field they are about', () => {
    expect(fieldOfServerMessage('endsOn : La fin de la campagne précède son début')).toBe('endsOn');
    expect(fieldOfServerMessage('La fin de la campagne précède son début')).toBe('endsOn');
    expect(fieldOfServerMessage('Commune inconnue : « 99999 » n’est le code INSEE d’aucune commune actuelle')).toBe('communeInsee');
    expect(fieldOfServerMessage('Vous ne pouvez organiser une campagne que dans vos communes : Montpellier (34172) n’en fait pas partie')).toBe('communeInsee');
    expect(fieldOfServerMessage('Paul (paul@example.fr) n’est pas un agent communal : seuls les agents sont affectés à une campagne')).toBe('agentIds');
    expect(fieldOfServerMessage('Paul (paul@example.fr) n’enregistre pas pour Montpellier (34172) : ajoutez d’abord cette commune à son compte')).toBe(
      'agentIds',
    );
    expect(fieldOfServerMessage('Numéro de test invalide : par ex. 06 12 34 56 78, +33 6 12 34 56 78 ou 3179')).toBe('testNumber');
    expect(fieldOfServerMessage('Trop de requêtes')).toBe('form');
  });
});
