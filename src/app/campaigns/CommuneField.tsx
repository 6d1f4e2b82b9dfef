import type { CommuneRef } from '../../domain/account.ts';
import { communeLabel as label, CommuneCombobox } from '../shell/CommuneCombobox.tsx';

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

/**
 * The one commune of a campaign: searched in the commune combobox (as the administration's
 * CommunePicker, which keeps several), or a list for agents.
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
        <CommuneSearch id={id} value={value} onChange={onChange} departement={departement} errorId={error ? errorId : undefined} />
      )}
      {error && (
        <p class="error" id={errorId}>
          {error}
        </p>
      )}
    </div>
  );
}

function CommuneSearch({
  id,
  value,
  onChange,
  departement,
  errorId,
}: Pick<Props, 'id' | 'value' | 'onChange' | 'departement'> & { errorId: string | undefined }) {
  if (value) {
    return (
      <>
        <span class="field-label">Commune</span>
        <p class="chosen-commune">
          <strong>{label(value)}</strong>{' '}
          <button type="button" class="link-button" onClick={() => onChange(undefined)}>
            Changer
          </button>
        </p>
      </>
    );
  }
  return <CommuneCombobox id={id} label="Commune (nom ou code INSEE)" onPick={onChange} {...(departement && { departement })} {...(errorId && { errorId })} />;
}
