import { currentRoute, navigate } from '../shell/use-route.ts';
import { formatRoute } from '../shell/routes.ts';
import { coverageRoute, DEFAULT_FILTERS, parseCoverageHash, parseCoverageQuery, type CoverageState } from './coverage-filters.ts';

const STORAGE_KEY = 'couverture.coverage-state';

/** The state to open with: the link's, else the last one used on this browser, else defaults. */
export function initialCoverageState(): CoverageState {
  const route = currentRoute();
  const fromLink = route.name === 'couverture' ? parseCoverageQuery(route.query) : undefined;
  if (fromLink) return fromLink;
  try {
    const remembered = localStorage.getItem(STORAGE_KEY);
    const parsed = remembered ? parseCoverageHash(remembered) : undefined;
    if (parsed) return parsed;
  } catch {
    // Storage refused (private mode): defaults.
  }
  return { filters: { ...DEFAULT_FILTERS } };
}

/** Writes the state to the address (in place: no history entry) and remembers it. */
export function saveCoverageState(state: CoverageState): void {
  // Left for another screen meanwhile: its address stays.
  if (currentRoute().name !== 'couverture') return;
  const route = coverageRoute(state);
  navigate(route, { replace: true });
  try {
    localStorage.setItem(STORAGE_KEY, formatRoute(route));
  } catch {
    // Only the link keeps it then.
  }
}
