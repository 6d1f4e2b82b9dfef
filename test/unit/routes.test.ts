import { describe, expect, it } from 'vitest';
import { ROLE_TABS, shownFor } from '../../src/app/shell/role-tabs.ts';
import { formatRoute, parseRoute, tabOfRoute, type Route } from '../../src/app/shell/routes.ts';

const CAMPAIGN = '7d4f5a52-3c1e-4b7a-9a51-0f3b2e6c9d10';

describe('routes', () => {
  it('reads every address the page has, as links in e-mails and bookmarks spell them', () => {
    expect(parseRoute('')).toEqual({ name: 'accueil' });
    expect(parseRoute('#')).toEqual({ name: 'accueil' });
    expect(parseRoute('#releve')).toEqual({ name: 'releve' });
    expect(parseRoute('#signaler')).toEqual({ name: 'signaler' });
    expect(parseRoute('#mon-compte')).toEqual({ name: 'mon-compte' });
    expect(parseRoute('#a-propos')).toEqual({ name: 'a-propos' });
    expect(parseRoute('#donnees-ouvertes')).toEqual({ name: 'donnees-ouvertes' });
    expect(parseRoute('#couverture')).toEqual({ name: 'couverture', query: '' });
    expect(parseRoute('#couverture?operator=sfr&view=15/43.7/3.5')).toEqual({ name: 'couverture', query: 'operator=sfr&view=15/43.7/3.5' });
    expect(parseRoute('#inconnu')).toEqual({ name: 'accueil' });
  });

  it('reads a dossier route, and only that', () => {
    expect(parseRoute('#zones/0b6d%2Fx/dossier')).toEqual({ name: 'dossier', zoneId: '0b6d/x' });
    expect(parseRoute('#zones/z-1/dossier')).toEqual({ name: 'dossier', zoneId: 'z-1' });
    expect(parseRoute('#zones')).toEqual({ name: 'zones' });
    expect(parseRoute('#zones/z-1')).toEqual({ name: 'zones' });
    expect(parseRoute('#zones/%E0%A4/dossier')).toEqual({ name: 'zones' });
  });

  it('routes #campagnes, its form and a campaign’s pages', () => {
    expect(parseRoute('#campagnes')).toEqual({ name: 'campagnes' });
    expect(parseRoute('#campagnes/nouvelle')).toEqual({ name: 'nouvelle-campagne' });
    expect(parseRoute(`#campagnes/${CAMPAIGN}`)).toEqual({ name: 'campagne', id: CAMPAIGN });
    expect(parseRoute(`#campagnes/${CAMPAIGN}/modifier`)).toEqual({ name: 'modifier-campagne', id: CAMPAIGN });
    expect(parseRoute('#campagnes/%E0%A4%A')).toEqual({ name: 'campagnes' });
    expect(parseRoute(`#campagnes/${CAMPAIGN}/autre`)).toEqual({ name: 'campagnes' });
  });

  it('writes the hash it reads back', () => {
    const routes: Route[] = [
      { name: 'accueil' },
      { name: 'releves' },
      { name: 'couverture', query: '' },
      { name: 'couverture', query: 'operator=orange,free&view=12/43.70000/3.50000' },
      { name: 'zones' },
      { name: 'dossier', zoneId: 'a/b c' },
      { name: 'campagnes' },
      { name: 'nouvelle-campagne' },
      { name: 'campagne', id: CAMPAIGN },
      { name: 'modifier-campagne', id: CAMPAIGN },
    ];
    for (const route of routes) expect(parseRoute(formatRoute(route))).toEqual(route);
    expect(formatRoute({ name: 'dossier', zoneId: 'z-1' })).toBe('#zones/z-1/dossier');
    expect(formatRoute({ name: 'modifier-campagne', id: CAMPAIGN })).toBe(`#campagnes/${CAMPAIGN}/modifier`);
    expect(formatRoute({ name: 'couverture', query: '' })).toBe('#couverture');
  });

  it('lights the tab a sub-page belongs to', () => {
    expect(tabOfRoute(parseRoute('#zones/z1/dossier'))).toBe('zones');
    expect(tabOfRoute(parseRoute('#campagnes/nouvelle'))).toBe('campagnes');
    expect(tabOfRoute(parseRoute('#couverture?operator=sfr'))).toBe('couverture');
    expect(tabOfRoute(parseRoute(''))).toBeUndefined();
  });
});

describe('who sees what', () => {
  it('lands each role on its first tab, and on it for a tab it does not have', () => {
    expect(shownFor(parseRoute(''), 'agent', false)).toEqual({ screen: 'releve', tab: 'releve', wide: false });
    expect(shownFor(parseRoute('#administration'), 'reviewer', false)).toEqual({ screen: 'signalements', tab: 'signalements', wide: false });
    expect(shownFor(parseRoute('#couverture?operator=sfr'), 'agent', false).screen).toBe('releve');
    expect(shownFor(parseRoute('#zones/z1/dossier'), 'reviewer', false)).toEqual({ screen: 'zones', tab: 'zones', wide: true });
    expect(shownFor(parseRoute('#campagnes/nouvelle'), 'agent', false).screen).toBe('campagnes');
  });

  it('asks a signed-out visitor to sign in, wherever the link led, but opens the public pages', () => {
    expect(shownFor(parseRoute('#zones/z1/dossier'), 'anonymous', false)).toMatchObject({ screen: 'connexion', tab: 'connexion' });
    expect(shownFor(parseRoute('#signaler'), 'anonymous', false)).toMatchObject({ screen: 'signaler', tab: 'signaler' });
    expect(shownFor(parseRoute('#a-propos'), 'anonymous', false).screen).toBe('a-propos');
    expect(shownFor(parseRoute('#donnees-ouvertes'), 'admin', true).screen).toBe('donnees-ouvertes');
    expect(shownFor(parseRoute('#signaler'), 'reviewer', false).screen).toBe('signaler');
  });

  it('opens nothing but the password screen after a provisional password, and « Mon compte » to every role', () => {
    expect(shownFor(parseRoute('#zones'), 'admin', true).screen).toBe('choisir-mot-de-passe');
    expect(shownFor(parseRoute('#mon-compte'), 'agent', true).screen).toBe('choisir-mot-de-passe');
    for (const role of ['agent', 'reviewer', 'admin'] as const)
      expect(shownFor(parseRoute('#mon-compte'), role, false)).toMatchObject({ screen: 'mon-compte', tab: undefined });
    expect(shownFor(parseRoute('#mon-compte'), 'anonymous', false).screen).toBe('connexion');
  });

  it('keeps the role tab table', () => {
    expect(ROLE_TABS).toEqual({
      agent: ['releve', 'parcours', 'releves', 'carte', 'campagnes'],
      reviewer: ['signalements', 'couverture', 'zones', 'tableau', 'campagnes', 'carte'],
      admin: ['administration', 'signalements', 'couverture', 'zones', 'tableau', 'campagnes', 'carte'],
      anonymous: ['connexion', 'signaler'],
    });
  });
});
