import { useState } from 'preact/hooks';
import { MIN_PASSWORD_LENGTH } from '../../domain/account.ts';
import { api, ApiError } from '../shell/api.ts';
import type { AdminUser } from './admin-user.ts';
import { ProvisionalPasswordField } from './ProvisionalPasswordField.tsx';

interface Props {
  user: AdminUser;
  onDone(user: AdminUser, password: string): void;
  onCancel(): void;
}

/** « Réinitialiser le mot de passe »: a provisional one, which ends the person's sessions and tokens. */
export function ResetPasswordForm({ user, onDone, onCancel }: Props) {
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    if (busy) return;
    if (password.length < MIN_PASSWORD_LENGTH) return setError(`Le mot de passe doit compter au moins ${MIN_PASSWORD_LENGTH} caractères (« Proposer un mot de passe » en tire un au hasard).`);
    setBusy(true);
    setError(undefined);
    try {
      onDone(await api<AdminUser>(`/api/v1/users/${encodeURIComponent(user.id)}`, { method: 'PATCH', body: { password } }), password);
    } catch (caught) {
      setError(caught instanceof ApiError ? caught.message : String(caught));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      class="reset-password"
      aria-label={`Réinitialiser le mot de passe de ${user.email}`}
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <ProvisionalPasswordField id={`reset-${user.id}-password`} value={password} onChange={setPassword} />
      <p class="hint">{user.name} sera déconnecté de tous ses appareils et ses jetons d’API seront révoqués.</p>
      <div class="actions">
        <button type="submit" class="primary" disabled={busy}>
          Enregistrer le mot de passe provisoire
        </button>
        <button type="button" onClick={onCancel}>
          Annuler
        </button>
      </div>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
