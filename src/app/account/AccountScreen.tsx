import { useState } from 'preact/hooks';
import { ROLE_LABELS, type SessionInfo } from '../../domain/account.ts';
import { TokensPanel } from '../admin/TokensPanel.tsx';
import { useTitle } from '../shell/use-title.ts';
import { PasswordForm } from './PasswordForm.tsx';

/** « Mon compte », for every role: who the server says is signed in, and their own password. */
export function AccountScreen({ user }: { user: SessionInfo['user'] }) {
  useTitle('Mon compte');
  const [changed, setChanged] = useState(false);
  const scope =
    user.role === 'agent'
      ? user.communes.map((commune) => `${commune.name} (${commune.code})`).join(', ')
      : user.role === 'reviewer'
        ? `département ${user.departement ?? '?'}`
        : 'tous les comptes, communes et départements';
  return (
    <section class="screen account-screen" aria-labelledby="account-title">
      <h2 id="account-title">Mon compte</h2>
      <dl class="account-facts">
        <dt>Nom</dt>
        <dd>{user.name}</dd>
        <dt>Adresse e-mail</dt>
        <dd>{user.email}</dd>
        <dt>Rôle</dt>
        <dd>{ROLE_LABELS[user.role]}</dd>
        <dt>{user.role === 'agent' ? 'Communes' : 'Périmètre'}</dt>
        <dd>{scope}</dd>
      </dl>
      <p class="hint">Pour changer votre nom, votre rôle ou votre périmètre, adressez-vous à un administrateur de Couverture.</p>

      <section aria-labelledby="account-password-title">
        <h3 id="account-password-title">Changer mon mot de passe</h3>
        <p class="hint">Vos autres appareils seront déconnectés et vos jetons d’API révoqués ; cet appareil reste connecté.</p>
        <PasswordForm
          idPrefix="account-password"
          currentLabel="Mot de passe actuel"
          submitLabel="Changer mon mot de passe"
          onChanged={() => setChanged(true)}
        />
        {changed && <p role="status">Mot de passe changé. Vos autres appareils sont déconnectés et vos jetons d’API révoqués.</p>}
      </section>

      <TokensPanel title="Mes jetons d’API" />
    </section>
  );
}
