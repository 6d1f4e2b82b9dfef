import { useState } from 'preact/hooks';
import { MIN_PASSWORD_LENGTH } from '../../domain/account.ts';
import { UserAnswerSchema, type UserPatchRequest } from '../../domain/api/index.ts';
import { api } from '../shell/api.ts';
import { ApiErrorMessage } from '../shell/ApiErrorMessage.tsx';
import { FormActions } from '../shell/FormActions.tsx';
import { useAction } from '../shell/use-action.ts';
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
  const saving = useAction();

  const submit = async () => {
    if (saving.busy) return;
    if (password.length < MIN_PASSWORD_LENGTH)
      return saving.refuse(`Le mot de passe doit compter au moins ${MIN_PASSWORD_LENGTH} caractères (« Proposer un mot de passe » en tire un au hasard).`);
    await saving.run(async () =>
      onDone(
        await api(`/api/v1/users/${encodeURIComponent(user.id)}`, UserAnswerSchema, { method: 'PATCH', body: { password } satisfies UserPatchRequest }),
        password,
      ),
    );
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
      <FormActions submitLabel="Enregistrer le mot de passe provisoire" busy={saving.busy} onCancel={onCancel} />
      <ApiErrorMessage error={saving.error} />
    </form>
  );
}
