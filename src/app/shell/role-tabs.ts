import type { Role } from '../../domain/account.ts';
import { tabOfRoute, type Route, type TabName } from './routes.ts';

/** The label of each tab in the tab bar. */
export const TAB_LABELS: Record<TabName, string> = {
  releve: 'Relevé',
  releves: 'Relevés',
  parcours: 'Parcours',
  campagnes: 'Campagnes',
  carte: 'Carte',
  signalements: 'Signalements',
  couverture: 'Couverture',
  zones: 'Zones',
  tableau: 'Tableau de bord',
  administration: 'Administration',
  connexion: 'Connexion',
  signaler: 'Signaler',
  'mon-compte': 'Mon compte',
  'a-propos': 'À propos',
  'donnees-ouvertes': 'Données ouvertes',
};

export type Viewer = Role | 'anonymous';

/** What each role sees in its tab bar; the first tab is where it lands. The server enforces the same rules. */
export const ROLE_TABS: Record<Viewer, readonly TabName[]> = {
  agent: ['releve', 'parcours', 'releves', 'carte', 'campagnes'],
  reviewer: ['signalements', 'couverture', 'zones', 'tableau', 'campagnes', 'carte'],
  admin: ['administration', 'signalements', 'couverture', 'zones', 'tableau', 'campagnes', 'carte'],
  anonymous: ['connexion', 'signaler'],
};

/** Pages open to everyone, signed in or not, whatever the role. */
const PUBLIC: ReadonlySet<TabName> = new Set(['a-propos', 'donnees-ouvertes', 'signaler']);

/** Screens made for a desktop's width (the others keep a phone's column). */
const WIDE: ReadonlySet<TabName> = new Set(['couverture', 'zones', 'tableau']);

/** What the page shows besides a tab's screen: the forced password change. */
export type ScreenName = TabName | 'choisir-mot-de-passe';

export interface Shown {
  /** The screen in the page's body. */
  screen: ScreenName;
  /** The tab lit in the tab bar (`undefined`: none, on « Mon compte »). */
  tab: TabName | undefined;
  /** The screen is laid out for a desktop's width. */
  wide: boolean;
}

/**
 * Who sees what: a public page to everyone; the sign-in screen to anyone signed out; only
 * « Choisissez votre mot de passe » after a provisional password (the server agrees);
 * « Mon compte » to every signed-in role; else the route's tab if the role has it, or the
 * role's first tab.
 */
export function shownFor(route: Route, viewer: Viewer, mustChangePassword: boolean): Shown {
  const tabs = ROLE_TABS[viewer];
  const routeTab = tabOfRoute(route);
  const lit = routeTab === 'signaler' || (routeTab && tabs.includes(routeTab)) ? routeTab : tabs[0]!;
  const wide = WIDE.has(lit);
  if (routeTab && PUBLIC.has(routeTab)) return { screen: routeTab, tab: lit, wide };
  if (viewer === 'anonymous') return { screen: 'connexion', tab: lit, wide };
  if (mustChangePassword) return { screen: 'choisir-mot-de-passe', tab: lit, wide };
  if (routeTab === 'mon-compte') return { screen: 'mon-compte', tab: undefined, wide };
  return { screen: lit, tab: lit, wide };
}
