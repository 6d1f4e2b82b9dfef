/**
 * Every address of the page, said once. The page is routed by `location.hash`, and these
 * hashes are kept exactly as they are: e-mails, bookmarks and printed dossiers link to them
 * (`#zones/<id>/dossier`, `#campagnes/nouvelle`, `#couverture?operator=sfr`, `#signaler`…).
 * Pure: `parseRoute(formatRoute(r))` gives `r` back; the screens each route shows and who may
 * see them are in `route-table.tsx`, the current route in `use-route.ts`.
 */

import { isOneOf } from '../../domain/one-of.ts';

/** Routes that are a screen with no more to say than their name. */
const PLAIN = [
  'releve',
  'releves',
  'parcours',
  'carte',
  'signalements',
  'zones',
  'tableau',
  'campagnes',
  'administration',
  'connexion',
  'signaler',
  'mon-compte',
  'a-propos',
  'donnees-ouvertes',
] as const;
export type PlainRouteName = (typeof PLAIN)[number];

export type Route =
  /** No hash, or one the page does not know: the role's first tab. */
  | { name: 'accueil' }
  | { name: PlainRouteName }
  /** The coverage map; `query` (`operator=orange&view=15/43.7/3.5`) is read by `cells/coverage-filters.ts`. */
  | { name: 'couverture'; query: string }
  /** A zone's printable dossier. */
  | { name: 'dossier'; zoneId: string }
  | { name: 'nouvelle-campagne' }
  /** A campaign's progress. */
  | { name: 'campagne'; id: string }
  | { name: 'modifier-campagne'; id: string };

export type RouteName = Route['name'];

/** The tab a route belongs to (`#zones/<id>/dossier` → `zones`): the one lit in the tab bar. */
export type TabName = Exclude<RouteName, 'accueil' | 'dossier' | 'nouvelle-campagne' | 'campagne' | 'modifier-campagne'>;

export function tabOfRoute(route: Route): TabName | undefined {
  switch (route.name) {
    case 'accueil':
      return undefined;
    case 'dossier':
      return 'zones';
    case 'nouvelle-campagne':
    case 'campagne':
    case 'modifier-campagne':
      return 'campagnes';
    default:
      return route.name;
  }
}

function decoded(part: string): string | undefined {
  try {
    return decodeURIComponent(part);
  } catch {
    return undefined;
  }
}

/**
 * What a hash means. Only its first word picks the tab (`#couverture?…`, `#zones/…`); a
 * sub-address the page does not know opens that tab's main screen (`#zones/z1` → the zones).
 * Campaign ids are UUIDs, never « nouvelle ».
 */
export function parseRoute(hash: string): Route {
  const first = /^#([^?/]*)/.exec(hash)?.[1] ?? '';
  if (first === 'couverture') {
    const question = hash.indexOf('?');
    return { name: 'couverture', query: question < 0 ? '' : hash.slice(question + 1) };
  }
  if (first === 'zones') {
    const segment = /^#zones\/([^/?]+)\/dossier\/?$/.exec(hash)?.[1];
    const zoneId = segment === undefined ? undefined : decoded(segment);
    return zoneId === undefined ? { name: 'zones' } : { name: 'dossier', zoneId };
  }
  if (first === 'campagnes') {
    const match = /^#campagnes\/([^/?]+)(?:\/(modifier))?\/?$/.exec(hash);
    const [, segment, edit] = match ?? [];
    if (segment === undefined) return { name: 'campagnes' };
    if (segment === 'nouvelle' && !edit) return { name: 'nouvelle-campagne' };
    const id = decoded(segment);
    if (id === undefined) return { name: 'campagnes' };
    return edit ? { name: 'modifier-campagne', id } : { name: 'campagne', id };
  }
  return isOneOf(PLAIN, first) ? { name: first } : { name: 'accueil' };
}

/** The hash of a route, to link to it (`href`) or go there (`navigate`). */
export function formatRoute(route: Route): string {
  switch (route.name) {
    case 'accueil':
      return '';
    case 'couverture':
      return route.query ? `#couverture?${route.query}` : '#couverture';
    case 'dossier':
      return `#zones/${encodeURIComponent(route.zoneId)}/dossier`;
    case 'nouvelle-campagne':
      return '#campagnes/nouvelle';
    case 'campagne':
      return `#campagnes/${encodeURIComponent(route.id)}`;
    case 'modifier-campagne':
      return `#campagnes/${encodeURIComponent(route.id)}/modifier`;
    default:
      return `#${route.name}`;
  }
}

/** `href` for a link to a screen that needs no more than its name: `hrefTo('zones')` → `#zones`. */
export const hrefTo = (name: PlainRouteName | 'couverture'): string => formatRoute(name === 'couverture' ? { name, query: '' } : { name });
