import type { CommuneRef } from '../../domain/account.ts';
import { communeLabel, CommuneCombobox } from '../shell/CommuneCombobox.tsx';

interface Props {
  idPrefix: string;
  selected: CommuneRef[];
  onChange: (communes: CommuneRef[]) => void;
  /** Narrows the search to one département, when known. */
  departement?: string;
}

/** An agent's communes: searched in the commune combobox, kept as removable chips. */
export function CommunePicker({ idPrefix, selected, onChange, departement }: Props) {
  const chosen = new Set(selected.map((commune) => commune.code));
  return (
    <div class="field commune-picker">
      <CommuneCombobox
        id={`${idPrefix}-commune-search`}
        label="Communes (nom ou code INSEE)"
        taken={chosen}
        onPick={(commune) => onChange([...selected, commune])}
        {...(departement && { departement })}
      />
      {selected.length > 0 && (
        <ul class="chips" aria-label="Communes choisies">
          {selected.map((commune) => (
            <li key={commune.code}>
              {communeLabel(commune)}
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
