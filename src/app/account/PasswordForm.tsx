import { useState } from 'preact/hooks';
import { MIN_PASSWORD_LENGTH } from '../../domain/account.ts';
import { ApiErrorMessage } from '../shell/ApiErrorMessage.tsx';
import { useAction } from '../shell/use-action.ts';
import { changePassword } from './change-password.ts';

interface Props {
  idPrefix: string;
  /** Words for the current password: « provisoire » right after an admin set it. */
  currentLabel: string;
  submitLabel: string;
  onChanged(): void;
}

/**
 * Current password, new one twice; checked here first (length, twice the same, not the
 * current one), then by the server, whose French message is shown as it is.
 */
export function PasswordForm({ idPrefix, currentLabel, submitLabel, onChanged }: Props) {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const saving = useAction();

  const problem = (): string | undefined => {
    if (!current) return 'Indiquez votre mot de passe actuel.';
    if (next.length < MIN_PASSWORD_LENGTH) return `Le nouveau mot de passe doit compter au moins ${MIN_PASSWORD_LENGTH} caractères.`;
    if (next !== again) return 'Les deux saisies du nouveau mot de passe diffèrent.';
    if (next === current) return 'Choisissez un mot de passe différent de l’actuel.';
    return undefined;
  };

  const submit = async () => {
    if (saving.busy) return;
    const found = problem();
    if (found) return saving.refuse(found);
    await saving.run(async () => {
      await changePassword(current, next);
      setCurrent('');
      setNext('');
      setAgain('');
      onChanged();
    });
  };

  const errorId = `${idPrefix}-error`;
  return (
    <form
      class="password-form"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <div class="field">
        <label for={`${idPrefix}-current`}>{currentLabel}</label>
        <input
          id={`${idPrefix}-current`}
          type="password"
          autocomplete="current-password"
          value={current}
          onInput={(event) => setCurrent(event.currentTarget.value)}
        />
      </div>
      <div class="field">
        <label for={`${idPrefix}-new`}>Nouveau mot de passe ({MIN_PASSWORD_LENGTH} caractères au moins)</label>
        <input id={`${idPrefix}-new`} type="password" autocomplete="new-password" value={next} onInput={(event) => setNext(event.currentTarget.value)} />
      </div>
      <div class="field">
        <label for={`${idPrefix}-again`}>Nouveau mot de passe, encore</label>
        <input id={`${idPrefix}-again`} type="password" autocomplete="new-password" value={again} onInput={(event) => setAgain(event.currentTarget.value)} />
      </div>
      <button type="submit" class="primary" disabled={saving.busy}>
        {saving.busy ? 'Enregistrement…' : submitLabel}
      </button>
      <ApiErrorMessage error={saving.error} id={errorId} />
    </form>
  );
}
