import { useState } from 'preact/hooks';
import type { CommuneRef } from '../../domain/account.ts';
import { useCommuneSearch } from './use-commune-search.ts';

interface Props {
  /** The input's id; the listbox and options derive theirs from it. */
  id: string;
  label: string;
  /** Picked (Enter, a tap on an option): the field empties for the next search. */
  onPick(commune: CommuneRef): void;
  /** Codes already chosen: shown, but not offered again. */
  taken?: ReadonlySet<string>;
  /** Narrows the search to one département, when known. */
  departement?: string;
  /** The id of an error message about the field, which then reads as invalid. */
  errorId?: string;
}

export const communeLabel = (commune: CommuneRef) => `${commune.name} (${commune.code})`;

/**
 * Communes by name or INSEE code from the server's list (GET /api/v1/communes), as the ARIA
 * combobox pattern: a text input that owns a listbox of options, the option under the arrow
 * keys named by aria-activedescendant (focus stays in the input); Enter picks it, Escape
 * closes the list, then empties the field. The administration's and the campaigns' commune
 * fields both use it.
 */
export function CommuneCombobox({ id, label, onPick, taken, departement, errorId }: Props) {
  const [query, setQuery] = useState('');
  const [open, setOpen] = useState(true);
  const [active, setActive] = useState(-1);
  const { results, error } = useCommuneSearch(query, departement);

  const listId = `${id}-listbox`;
  const optionId = (index: number) => `${id}-option-${index}`;
  const pickable = (index: number) => {
    const result = results[index];
    return result !== undefined && !taken?.has(result.code);
  };
  const shown = open && query.trim().length >= 2 && results.length > 0;

  const pick = (index: number) => {
    const result = results[index];
    if (result === undefined || !pickable(index)) return;
    onPick(result);
    setQuery('');
    setActive(-1);
  };

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      if (!shown) return setOpen(true);
      const last = results.length - 1;
      setActive((current) => (event.key === 'ArrowDown' ? (current >= last ? 0 : current + 1) : current <= 0 ? last : current - 1));
    } else if (event.key === 'Enter') {
      // Inside a form, Enter would submit it: here it picks, or does nothing.
      if (shown && active >= 0) {
        event.preventDefault();
        pick(active);
      } else if (query.trim() !== '') {
        event.preventDefault();
      }
    } else if (event.key === 'Escape') {
      if (shown) {
        event.preventDefault();
        setOpen(false);
        setActive(-1);
      } else if (query !== '') {
        event.preventDefault();
        setQuery('');
      }
    }
  };

  return (
    <>
      <label for={id}>{label}</label>
      <input
        id={id}
        type="text"
        role="combobox"
        autocomplete="off"
        spellcheck={false}
        placeholder="ex. Saint-Guilhem ou 34261"
        aria-autocomplete="list"
        aria-expanded={shown}
        aria-controls={listId}
        aria-activedescendant={shown && active >= 0 ? optionId(active) : undefined}
        {...(errorId && { 'aria-describedby': errorId, 'aria-invalid': true })}
        value={query}
        onInput={(event) => {
          setQuery(event.currentTarget.value);
          setOpen(true);
          setActive(-1);
        }}
        onKeyDown={onKeyDown}
        onBlur={() => setOpen(false)}
        onFocus={() => setOpen(true)}
      />
      <ul id={listId} role="listbox" aria-label="Communes proposées" class="commune-options" hidden={!shown}>
        {shown &&
          results.map((commune, index) => (
            <li
              key={commune.code}
              id={optionId(index)}
              role="option"
              aria-selected={index === active}
              aria-disabled={!pickable(index) || undefined}
              class={index === active ? 'active' : undefined}
              // Picked before the input's blur closes the list.
              onMouseDown={(event) => {
                event.preventDefault();
                pick(index);
              }}
            >
              {communeLabel(commune)}
              {!pickable(index) && ' · déjà choisie'}
            </li>
          ))}
      </ul>
      <p class="visually-hidden" role="status">
        {shown
          ? `${results.length} commune${results.length > 1 ? 's' : ''} proposée${results.length > 1 ? 's' : ''} : flèches haut et bas pour choisir, Entrée pour retenir.`
          : ''}
      </p>
      {error && query.trim().length >= 2 && <p class="hint">{error}</p>}
    </>
  );
}
