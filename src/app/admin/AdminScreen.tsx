import { useEffect, useState } from 'preact/hooks';
import { ROLES, ROLE_LABELS, type CommuneRef, type Role } from '../../domain/account.ts';
import { api, ApiError } from '../shell/api.ts';
import { CommunePicker } from './CommunePicker.tsx';
import { TokensPanel } from './TokensPanel.tsx';
import { useTitle } from '../shell/use-title.ts';

/** A user as GET /api/v1/users lists them (never a password hash). */
interface UserRow {
  id: string;
  email: string;
  name: string;
  role: Role;
  communes: string[];
  departement: string | null;
  disabled: boolean;
}

const MIN_PASSWORD = 10;

/** « Administration »: accounts (create, revoke sessions, disable), API tokens. Needs the network. */
export function AdminScreen() {
  useTitle('Administration');
  const [users, setUsers] = useState<UserRow[]>();
  const [error, setError] = useState<string>();
  const [notice, setNotice] = useState<string>();

  const run = async (action: () => Promise<void>) => {
    setError(undefined);
    setNotice(undefined);
    try {
      await action();
    } catch (caught) {
      setError(caught instanceof ApiError ? caught.message : String(caught));
    }
  };
  const load = () => run(async () => setUsers((await api<{ users: UserRow[] }>('/api/v1/users')).users));

  useEffect(() => {
    void load();
  }, []);

  return (
    <section class="screen admin-screen" aria-labelledby="admin-title">
      <h2 id="admin-title">Administration</h2>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {notice && <p role="status">{notice}</p>}

      <section aria-labelledby="users-title">
        <h3 id="users-title">Comptes</h3>
        {users && (
          <ul class="readings" aria-label="Comptes">
            {users.map((user) => (
              <UserItem key={user.id} user={user} run={run} onChanged={load} onNotice={setNotice} />
            ))}
          </ul>
        )}
      </section>

      <NewUserForm
        onCreated={async (email) => {
          await load();
          setNotice(`Compte créé : ${email}`);
        }}
      />

      <TokensPanel title="Mes jetons d’API" />
    </section>
  );
}

function UserItem({
  user,
  run,
  onChanged,
  onNotice,
}: {
  user: UserRow;
  run: (action: () => Promise<void>) => Promise<void>;
  onChanged: () => Promise<void>;
  onNotice: (message: string) => void;
}) {
  const [showTokens, setShowTokens] = useState(false);
  const scope = user.role === 'agent' ? `communes ${user.communes.join(', ') || 'aucune'}` : user.role === 'reviewer' ? `département ${user.departement ?? '?'}` : 'tout';
  return (
    <li class={`reading user-item ${user.disabled ? 'disabled' : ''}`} aria-label={user.email}>
      <div class="reading-head">
        <span class="reading-what">
          {user.name} · {user.email}
        </span>
        {user.disabled && <span class="state state-refused">Désactivé</span>}
      </div>
      <p class="reading-meta">
        {ROLE_LABELS[user.role]} · {scope}
      </p>
      <div class="actions">
        <button
          type="button"
          onClick={() =>
            void run(async () => {
              if (!window.confirm(`Déconnecter ${user.name} de tous ses appareils ? Ses relevés non envoyés attendront sa prochaine connexion.`)) return;
              await api(`/api/v1/users/${encodeURIComponent(user.id)}/sessions`, { method: 'DELETE' });
              onNotice(`Sessions de ${user.email} révoquées.`);
            })
          }
        >
          Révoquer les sessions
        </button>
        <button
          type="button"
          class={user.disabled ? '' : 'danger'}
          onClick={() =>
            void run(async () => {
              await api(`/api/v1/users/${encodeURIComponent(user.id)}`, { method: 'PATCH', body: { disabled: !user.disabled } });
              await onChanged();
            })
          }
        >
          {user.disabled ? 'Réactiver' : 'Désactiver'}
        </button>
        <button type="button" aria-expanded={showTokens} onClick={() => setShowTokens(!showTokens)}>
          Jetons d’API
        </button>
      </div>
      {showTokens && <TokensPanel userId={user.id} title={`Jetons de ${user.name}`} />}
    </li>
  );
}

function NewUserForm({ onCreated }: { onCreated: (email: string) => Promise<void> }) {
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState<Role>('agent');
  const [communes, setCommunes] = useState<CommuneRef[]>([]);
  const [departement, setDepartement] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    if (!name.trim() || !email.trim()) return setError('Indiquez le nom et l’adresse e-mail.');
    if (password.length < MIN_PASSWORD) return setError(`Le mot de passe doit faire au moins ${MIN_PASSWORD} caractères.`);
    if (role === 'agent' && communes.length === 0) return setError('Choisissez au moins une commune pour un agent.');
    if (role === 'reviewer' && !departement.trim()) return setError('Indiquez le département de l’instructeur (ex. 34).');
    setBusy(true);
    setError(undefined);
    try {
      await api('/api/v1/users', {
        method: 'POST',
        body: {
          name: name.trim(),
          email: email.trim(),
          password,
          role,
          ...(role === 'agent' && { communes: communes.map((commune) => commune.code) }),
          ...(role === 'reviewer' && { departement: departement.trim().toUpperCase() }),
        },
      });
      const created = email.trim();
      setName('');
      setEmail('');
      setPassword('');
      setCommunes([]);
      setDepartement('');
      await onCreated(created);
    } catch (caught) {
      setError(caught instanceof ApiError ? caught.message : String(caught));
    } finally {
      setBusy(false);
    }
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
        <div class="field">
          <label for="new-user-password">Mot de passe provisoire ({MIN_PASSWORD} caractères au moins)</label>
          <input id="new-user-password" type="password" autocomplete="new-password" value={password} onInput={(event) => setPassword(event.currentTarget.value)} />
        </div>
        <div class="field">
          <label for="new-user-role">Rôle</label>
          <select id="new-user-role" value={role} onChange={(event) => setRole(event.currentTarget.value as Role)}>
            {ROLES.map((value) => (
              <option key={value} value={value}>
                {ROLE_LABELS[value]}
              </option>
            ))}
          </select>
        </div>
        {role === 'agent' && <CommunePicker idPrefix="new-user" selected={communes} onChange={setCommunes} />}
        {role === 'reviewer' && (
          <div class="field">
            <label for="new-user-departement">Département (code)</label>
            <input
              id="new-user-departement"
              type="text"
              maxLength={3}
              placeholder="ex. 34"
              value={departement}
              onInput={(event) => setDepartement(event.currentTarget.value)}
            />
          </div>
        )}
        <button type="submit" class="primary" disabled={busy}>
          Créer le compte
        </button>
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
      </form>
    </section>
  );
}
