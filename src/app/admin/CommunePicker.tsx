import { useState } from 'preact/hooks';
import type { CommuneRef } from '../../domain/account.ts';
import { useCommuneSearch } from '../shell/use-commune-search.ts';

interface Props {
  idPrefix: string;
  selected: CommuneRef[];
  onChange: (communes: CommuneRef[]) => void;
  /** Narrows the search to one département, when known. */
  departement?: string;
}

/** Communes by name or INSEE code, searched on the server's shipped list (GET /api/v1/communes). */
export function CommunePicker({ idPrefix, selected, onChange, departement }: Props) {
  const [query, setQuery] = useState('');
  const { results, error } = useCommuneSearch(query, departement);

  const chosen = new Set(selected.map((commune) => commune.code));
  return (
    <div class="field commune-picker">
      <label for={`${idPrefix}-commune-search`}>Communes (nom ou code INSEE)</label>
      <input
        id={`${idPrefix}-commune-search`}
        type="text"
        autocomplete="off"
        placeholder="ex. Saint-Guilhem ou 34261"
        value={query}
        onInput={(event) => setQuery(event.currentTarget.value)}
      />
      {error && <p class="error">{error}</p>}
      {results.length > 0 && (
        <ul class="commune-results" aria-label="Communes trouvées">
          {results.map((commune) => (
            <li key={commune.code}>
              <button
                type="button"
                disabled={chosen.has(commune.code)}
                onClick={() => {
                  onChange([...selected, commune]);
                  setQuery('');
                }}
              >
                {commune.name} ({commune.code})
              </button>
            </li>
          ))}
        </ul>
      )}
      {selected.length > 0 && (
        <ul class="chips" aria-label="Communes choisies">
          {selected.map((commune) => (
            <li key={commune.code}>
              {commune.name} ({commune.code})
              <button type="button" aria-label={`Retirer ${commune.name}`} onClick={() => onChange(selected.filter((c) => c.code !== commune.code))}>
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
