import { COVERAGE_ROUTE, DEFAULT_FILTERS, formatCoverageHash, parseCoverageHash, type CoverageState } from './coverage-filters.ts';

const STORAGE_KEY = 'couverture.coverage-state';

/** The state to open with: the link's, else the last one used on this browser, else defaults. */
export function initialCoverageState(): CoverageState {
  const fromHash = parseCoverageHash(window.location.hash);
  if (fromHash) return fromHash;
  try {
    const remembered = localStorage.getItem(STORAGE_KEY);
    const parsed = remembered ? parseCoverageHash(remembered) : undefined;
    if (parsed) return parsed;
  } catch {
    // Storage refused (private mode): defaults.
  }
  return { filters: { ...DEFAULT_FILTERS } };
}

/** Writes the state to the hash (without a history entry or a hashchange) and remembers it. */
export function saveCoverageState(state: CoverageState): void {
  const hash = formatCoverageHash(state);
  if (!window.location.hash.startsWith(COVERAGE_ROUTE)) return;
  if (window.location.hash !== hash) history.replaceState(history.state, '', hash);
  try {
    localStorage.setItem(STORAGE_KEY, hash);
  } catch {
    // Only the link keeps it then.
  }
}
