import { useState } from 'preact/hooks';
import type { CommuneRef } from '../../domain/account.ts';
import { useCommuneSearch } from '../shell/use-commune-search.ts';

interface Props {
  id: string;
  value: CommuneRef | undefined;
  onChange(commune: CommuneRef | undefined): void;
  /** Agents make campaigns in their own communes only: they pick among them. */
  choices?: CommuneRef[];
  /** Narrows the search to a reviewer's département. */
  departement?: string;
  /** Edition: the commune of a campaign does not change. */
  fixed?: boolean;
  error?: string;
}

const label = (commune: CommuneRef) => `${commune.name} (${commune.code})`;

/**
 * The one commune of a campaign. Unlike the administration's CommunePicker (several
 * communes for an account), it holds a single choice, or a list for agents.
 */
export function CommuneField({ id, value, onChange, choices, departement, fixed, error }: Props) {
  const errorId = `${id}-error`;
  const described = error ? { 'aria-describedby': errorId, 'aria-invalid': true } : {};
  return (
    <div class="field">
      {fixed && value ? (
        <>
          <span class="field-label">Commune</span>
          <p class="fixed-value">{label(value)}</p>
        </>
      ) : choices ? (
        <>
          <label for={id}>Commune</label>
          <select
            id={id}
            value={value?.code ?? ''}
            onChange={(event) => onChange(choices.find((commune) => commune.code === event.currentTarget.value))}
            {...described}
          >
            <option value="">Choisissez…</option>
            {choices.map((commune) => (
              <option key={commune.code} value={commune.code}>
                {label(commune)}
              </option>
            ))}
          </select>
        </>
      ) : (
        <CommuneSearch id={id} value={value} onChange={onChange} departement={departement} described={described} />
      )}
      {error && (
        <p class="error" id={errorId}>
          {error}
        </p>
      )}
    </div>
  );
}

function CommuneSearch({ id, value, onChange, departement, described }: Pick<Props, 'id' | 'value' | 'onChange' | 'departement'> & { described: object }) {
  const [query, setQuery] = useState('');
  const { results, error: searchError } = useCommuneSearch(query, departement);

  return (
    <>
      {value ? <span class="field-label">Commune</span> : <label for={id}>Commune (nom ou code INSEE)</label>}
      {value && (
        <p class="chosen-commune">
          <strong>{label(value)}</strong>{' '}
          <button type="button" class="link-button" onClick={() => onChange(undefined)}>
            Changer
          </button>
        </p>
      )}
      {!value && (
        <input
          id={id}
          type="text"
          autocomplete="off"
          placeholder="ex. Saint-Guilhem ou 34261"
          value={query}
          onInput={(event) => setQuery(event.currentTarget.value)}
          {...described}
        />
      )}
      {!value && searchError && <p class="hint">{searchError}</p>}
      {!value && results.length > 0 && (
        <ul class="commune-results" aria-label="Communes trouvées">
          {results.map((commune) => (
            <li key={commune.code}>
              <button
                type="button"
                onClick={() => {
                  onChange(commune);
                  setQuery('');
                }}
              >
                {label(commune)}
              </button>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
