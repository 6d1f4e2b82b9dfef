import { useEffect, useState } from 'preact/hooks';
import type { CommuneRef } from '../../domain/account.ts';
import { CommunesAnswerSchema } from '../../domain/api/index.ts';
import { api, ApiError } from './api.ts';

/** Typing pauses this long before a search goes out. */
const DEBOUNCE_MS = 200;

export interface CommuneSearch {
  results: CommuneRef[];
  /** Why the search failed, or that nothing matched (after a search that went out). */
  error?: string;
}

/**
 * Communes by name or INSEE code from the server's shipped list (GET /api/v1/communes),
 * from two characters typed, narrowed to a département when given. A newer query cancels
 * the one still on its way.
 */
export function useCommuneSearch(query: string, departement?: string): CommuneSearch {
  const [search, setSearch] = useState<CommuneSearch>({ results: [] });
  useEffect(() => {
    const q = query.trim();
    if (q.length < 2) {
      setSearch({ results: [] });
      return;
    }
    const abort = new AbortController();
    const timer = setTimeout(() => {
      const params = new URLSearchParams({ q, limit: '10' });
      if (departement?.trim()) params.set('departement', departement.trim().toUpperCase());
      api(`/api/v1/communes?${params}`, CommunesAnswerSchema, { signal: abort.signal }).then(
        ({ communes }) => setSearch({ results: communes, ...(communes.length === 0 && { error: 'Aucune commune ne correspond.' }) }),
        (caught: unknown) => {
          if ((caught as Error).name !== 'AbortError') setSearch({ results: [], error: caught instanceof ApiError ? caught.message : 'Recherche impossible' });
        },
      );
    }, DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      abort.abort();
    };
  }, [query, departement]);
  return search;
}
