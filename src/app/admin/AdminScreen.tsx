import { useState } from 'preact/hooks';
import { MIN_PASSWORD_LENGTH } from '../../domain/account.ts';
import { api } from '../shell/api.ts';
import { useApi } from '../shell/use-api.ts';
import { UserAnswerSchema, UsersAnswerSchema, type NewUserRequest } from '../../domain/api/users.ts';
import { ApiErrorMessage } from '../shell/ApiErrorMessage.tsx';
import { useAction } from '../shell/use-action.ts';
import { sessionState } from '../shell/session-state.ts';
import { useStore } from '../shell/tiny-store.ts';
import { useTitle } from '../shell/use-title.ts';
import { ProvisionalPasswordField } from './ProvisionalPasswordField.tsx';
import { ScopeFields, scopeBody, scopeProblem, type Scope } from './ScopeFields.tsx';
import { TokensPanel } from './TokensPanel.tsx';
import { UserItem } from './UserItem.tsx';

/**
 * « Administration »: accounts (create with a provisional password, edit, reset the password,
 * end sessions and tokens, disable), API tokens. Needs the network.
 */
export function AdminScreen() {
  useTitle('Administration');
  const ownId = useStore(sessionState).session?.info.user.id;
  const list = useApi('/api/v1/users', UsersAnswerSchema);
  const users = list.data?.users;
  const load = list.reload;
  // An action on an account (the list's own failure is `list.error`).
  const action = useAction();
  const [notice, setNotice] = useState<string>();

  const run = (todo: () => Promise<void>) => {
    setNotice(undefined);
    return action.run(todo);
  };

  return (
    <section class="screen admin-screen" aria-labelledby="admin-title">
      <h2 id="admin-title">Administration</h2>
      <ApiErrorMessage error={list.error} onRetry={load} />
      <ApiErrorMessage error={action.error} />
      {notice && <p role="status">{notice}</p>}

      <section aria-labelledby="users-title">
        <h3 id="users-title">Comptes</h3>
        {users && (
          <ul class="readings" aria-label="Comptes">
            {users.map((user) => (
              <UserItem key={user.id} user={user} own={user.id === ownId} run={run} onChanged={load} onNotice={setNotice} />
            ))}
          </ul>
        )}
      </section>

      <NewUserForm
        onCreated={async (email) => {
          await load();
          setNotice(`Compte créé : ${email}. Transmettez-lui son mot de passe provisoire : la personne en choisira un autre à sa première connexion.`);
        }}
      />

      <TokensPanel title="Mes jetons d’API" />
    </section>
  );
}

const EMPTY_SCOPE: Scope = { role: 'agent', communes: [], departement: '' };

function NewUserForm({ onCreated }: { onCreated: (email: string) => Promise<void> }) {
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [scope, setScope] = useState<Scope>(EMPTY_SCOPE);
  const creating = useAction();

  const submit = async () => {
    if (creating.busy) return;
    if (!name.trim() || !email.trim()) return creating.refuse('Indiquez le nom et l’adresse e-mail.');
    if (password.length < MIN_PASSWORD_LENGTH)
      return creating.refuse(`Le mot de passe doit compter au moins ${MIN_PASSWORD_LENGTH} caractères (« Proposer un mot de passe » en tire un au hasard).`);
    const problem = scopeProblem(scope);
    if (problem) return creating.refuse(problem);
    await creating.run(async () => {
      await api('/api/v1/users', UserAnswerSchema, {
        method: 'POST',
        body: { name: name.trim(), email: email.trim(), password, ...scopeBody(scope) } satisfies NewUserRequest,
      });
      const created = email.trim();
      setName('');
      setEmail('');
      setPassword('');
      setScope(EMPTY_SCOPE);
      await onCreated(created);
    });
  };

  return (
    <section aria-labelledby="new-user-title">
      <h3 id="new-user-title">Nouveau compte</h3>
      <form
        class="new-user"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
      >
        <div class="field">
          <label for="new-user-name">Nom</label>
          <input id="new-user-name" type="text" value={name} onInput={(event) => setName(event.currentTarget.value)} />
        </div>
        <div class="field">
          <label for="new-user-email">Adresse e-mail</label>
          <input id="new-user-email" type="email" autocomplete="off" value={email} onInput={(event) => setEmail(event.currentTarget.value)} />
        </div>
        <ProvisionalPasswordField id="new-user-password" value={password} onChange={setPassword} />
        <ScopeFields idPrefix="new-user" scope={scope} onChange={setScope} />
        <button type="submit" class="primary" disabled={creating.busy}>
          Créer le compte
        </button>
        <ApiErrorMessage error={creating.error} />
      </form>
    </section>
  );
}
