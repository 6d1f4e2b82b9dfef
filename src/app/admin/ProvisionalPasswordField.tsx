import { useState } from 'preact/hooks';
import { MIN_PASSWORD_LENGTH } from '../../domain/account.ts';
import { proposePassword } from './provisional-password.ts';

interface Props {
  id: string;
  value: string;
  onChange(value: string): void;
}

/**
 * A password the admin passes on to someone, who must replace it at next sign-in: shown in
 * clear (it is read out or copied), typed or proposed at random, with a copy button.
 */
export function ProvisionalPasswordField({ id, value, onChange }: Props) {
  const [copied, setCopied] = useState<string>();
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setCopied('Copié dans le presse-papiers.');
    } catch {
      // No clipboard (plain HTTP, a refusal): select it, for a copy by hand.
      (document.getElementById(id) as HTMLInputElement | null)?.select();
      setCopied('Copie impossible ici : le mot de passe est sélectionné, copiez-le à la main.');
    }
  };
  return (
    <div class="field">
      <label for={id}>Mot de passe provisoire ({MIN_PASSWORD_LENGTH} caractères au moins)</label>
      <input
        id={id}
        type="text"
        autocomplete="off"
        spellcheck={false}
        aria-describedby={`${id}-hint`}
        value={value}
        onInput={(event) => {
          onChange(event.currentTarget.value);
          setCopied(undefined);
        }}
      />
      <p class="hint" id={`${id}-hint`}>
        À transmettre à la personne : elle devra choisir le sien à sa prochaine connexion.
      </p>
      <div class="actions">
        <button
          type="button"
          onClick={() => {
            onChange(proposePassword());
            setCopied(undefined);
          }}
        >
          Proposer un mot de passe
        </button>
        <button type="button" disabled={value === ''} onClick={() => void copy()}>
          Copier
        </button>
      </div>
      {copied && <p role="status">{copied}</p>}
    </div>
  );
}
