import { useEffect, useState } from 'preact/hooks';
import type { CommuneRef } from '../../domain/account.ts';
import { CommunesAnswerSchema, UserAnswerSchema, type UserPatchRequest } from '../../domain/api/index.ts';
import { api } from '../shell/api.ts';
import { ApiErrorMessage } from '../shell/ApiErrorMessage.tsx';
import { FormActions } from '../shell/FormActions.tsx';
import { useAction } from '../shell/use-action.ts';
import type { AdminUser } from './admin-user.ts';
import { ScopeFields, scopeBody, scopeProblem, type Scope } from './ScopeFields.tsx';

interface Props {
  user: AdminUser;
  /** The admin's own account: the server refuses them a new role (or disabling themselves). */
  own: boolean;
  onSaved(user: AdminUser): void;
  onCancel(): void;
}

/** The list of users holds INSEE codes only: their names, from the public commune list. */
async function communeRefs(codes: string[]): Promise<CommuneRef[]> {
  return Promise.all(
    codes.map(async (code) => {
      const found = await api(`/api/v1/communes?q=${encodeURIComponent(code)}&limit=5`, CommunesAnswerSchema).catch(() => ({ communes: [] }));
      return found.communes.find((commune) => commune.code === code) ?? { code, name: code, departement: '' };
    }),
  );
}

/** Name, role and what goes with it (communes, département), as PATCH /api/v1/users/:id takes them. */
export function EditUserForm({ user, own, onSaved, onCancel }: Props) {
  const [name, setName] = useState(user.name);
  const [scope, setScope] = useState<Scope>({
    role: user.role,
    communes: user.communes.map((code) => ({ code, name: code, departement: '' })),
    departement: user.departement ?? '',
  });
  const saving = useAction();
  const idPrefix = `edit-${user.id}`;

  useEffect(() => {
    if (user.communes.length === 0) return;
    let current = true;
    void communeRefs(user.communes).then((communes) => {
      if (current) setScope((scope) => (scope.communes.every((c) => c.name === c.code) ? { ...scope, communes } : scope));
    });
    return () => {
      current = false;
    };
  }, [user.id]);

  const submit = async () => {
    if (saving.busy) return;
    const problem = !name.trim() ? 'Indiquez le nom.' : scopeProblem(scope);
    if (problem) return saving.refuse(problem);
    await saving.run(async () =>
      onSaved(
        await api(`/api/v1/users/${encodeURIComponent(user.id)}`, UserAnswerSchema, {
          method: 'PATCH',
          body: { name: name.trim(), ...scopeBody(scope) } satisfies UserPatchRequest,
        }),
      ),
    );
  };

  return (
    <form
      class="edit-user"
      aria-label={`Modifier le compte ${user.email}`}
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <div class="field">
        <label for={`${idPrefix}-name`}>Nom</label>
        <input id={`${idPrefix}-name`} type="text" value={name} onInput={(event) => setName(event.currentTarget.value)} />
      </div>
      <ScopeFields
        idPrefix={idPrefix}
        scope={scope}
        onChange={setScope}
        {...(own && { roleLocked: 'C’est votre compte : un administrateur ne peut pas changer son propre rôle.' })}
      />
      <p class="hint">Un changement de rôle, de communes ou de département déconnecte la personne et révoque ses jetons d’API.</p>
      <FormActions submitLabel="Enregistrer" busyLabel="Enregistrement…" busy={saving.busy} onCancel={onCancel} />
      <ApiErrorMessage error={saving.error} />
    </form>
  );
}
