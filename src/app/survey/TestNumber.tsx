import { isDialable } from './guided-test.ts';

interface Props {
  id: string;
  /** The campaign's number: shown, not editable. */
  campaignNumber: string | undefined;
  value: string;
  onInput: (number: string) => void;
}

/** The number a guided test calls or texts: the campaign's, or one the agent types. */
export function TestNumber({ id, campaignNumber, value, onInput }: Props) {
  if (campaignNumber) {
    return (
      <p class="hint">
        Numéro de test de la campagne : <strong>{campaignNumber}</strong>
      </p>
    );
  }
  const invalid = value.trim() !== '' && !isDialable(value);
  return (
    <div class="field">
      <label for={id}>Numéro à joindre</label>
      <input
        id={id}
        type="tel"
        inputMode="tel"
        autoComplete="off"
        placeholder="ex. 06 12 34 56 78"
        value={value}
        aria-invalid={invalid ? true : undefined}
        onInput={(event) => onInput(event.currentTarget.value)}
      />
      {invalid && <p class="error">Numéro invalide : par ex. 06 12 34 56 78, +33 6 12 34 56 78 ou 3179</p>}
    </div>
  );
}
