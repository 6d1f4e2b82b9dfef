import { useState } from 'preact/hooks';
import { ROLE_LABELS } from '../../domain/account.ts';
import { RevokedAnswerSchema, UserAnswerSchema, type UserPatchRequest } from '../../domain/api/index.ts';
import { api } from '../shell/api.ts';
import { count, type AdminUser } from './admin-user.ts';
import { EditUserForm } from './EditUserForm.tsx';
import { ResetPasswordForm } from './ResetPasswordForm.tsx';
import { TokensPanel } from './TokensPanel.tsx';
import { hrefTo } from '../shell/routes.ts';

interface Props {
  user: AdminUser;
  /** The signed-in admin's own account. */
  own: boolean;
  run(action: () => Promise<void>): Promise<void>;
  onChanged(): Promise<void>;
  onNotice(message: string): void;
}

type Panel = 'edit' | 'reset' | 'tokens' | undefined;

/**
 * One account and what an admin does to it. On their own account, only what the server
 * allows: no disabling, no new role, and the password from « Mon compte ».
 */
export function UserItem({ user, own, run, onChanged, onNotice }: Props) {
  const [panel, setPanel] = useState<Panel>();
  const toggle = (next: Panel) => setPanel(panel === next ? undefined : next);
  const scope =
    user.role === 'agent' ? `communes ${user.communes.join(', ') || 'aucune'}` : user.role === 'reviewer' ? `département ${user.departement ?? '?'}` : 'tout';

  const revoke = () =>
    run(async () => {
      if (
        !window.confirm(
          `Déconnecter ${user.name} de tous ses appareils et révoquer ses jetons d’API ? Ses relevés non envoyés attendront sa prochaine connexion.`,
        )
      )
        return;
      const ended = await api(`/api/v1/users/${encodeURIComponent(user.id)}/sessions?tokens=true`, RevokedAnswerSchema, { method: 'DELETE' });
      onNotice(
        `${user.email} : ${count(ended.sessions, 'session fermée', 'sessions fermées')}, ${count(ended.tokens, 'jeton d’API révoqué', 'jetons d’API révoqués')}.`,
      );
    });

  const setDisabled = (disabled: boolean) =>
    run(async () => {
      if (disabled && !window.confirm(`Désactiver le compte de ${user.name} ? Il ne pourra plus se connecter ; ses sessions et jetons d’API prennent fin.`))
        return;
      await api(`/api/v1/users/${encodeURIComponent(user.id)}`, UserAnswerSchema, { method: 'PATCH', body: { disabled } satisfies UserPatchRequest });
      await onChanged();
      onNotice(disabled ? `Compte de ${user.email} désactivé.` : `Compte de ${user.email} réactivé.`);
    });

  return (
    <li class={`reading user-item ${user.disabled ? 'disabled' : ''}`} aria-label={user.email}>
      <div class="reading-head">
        <span class="reading-what">
          {user.name} · {user.email}
        </span>
        {own && <span class="state">Vous</span>}
        {user.disabled && <span class="state state-refused">Désactivé</span>}
        {user.mustChangePassword && !user.disabled && <span class="state">Mot de passe provisoire</span>}
      </div>
      <p class="reading-meta">
        {ROLE_LABELS[user.role]} · {scope}
      </p>
      <div class="actions">
        <button type="button" aria-expanded={panel === 'edit'} onClick={() => toggle('edit')}>
          Modifier
        </button>
        {!own && (
          <>
            <button type="button" aria-expanded={panel === 'reset'} onClick={() => toggle('reset')}>
              Réinitialiser le mot de passe
            </button>
            <button type="button" onClick={() => void revoke()}>
              Révoquer les sessions et jetons
            </button>
            <button type="button" class={user.disabled ? '' : 'danger'} onClick={() => void setDisabled(!user.disabled)}>
              {user.disabled ? 'Réactiver' : 'Désactiver'}
            </button>
          </>
        )}
        <button type="button" aria-expanded={panel === 'tokens'} onClick={() => toggle('tokens')}>
          Jetons d’API
        </button>
      </div>
      {own && (
        <p class="hint">
          C’est votre compte : un administrateur ne peut ni se désactiver ni changer son propre rôle. Votre mot de passe se change dans{' '}
          <a href={hrefTo('mon-compte')}>Mon compte</a>.
        </p>
      )}
      {panel === 'edit' && (
        <EditUserForm
          user={user}
          own={own}
          onCancel={() => setPanel(undefined)}
          onSaved={(saved) =>
            void run(async () => {
              setPanel(undefined);
              await onChanged();
              onNotice(`Compte de ${saved.email} enregistré.`);
            })
          }
        />
      )}
      {panel === 'reset' && (
        <ResetPasswordForm
          user={user}
          onCancel={() => setPanel(undefined)}
          onDone={(saved) =>
            void run(async () => {
              setPanel(undefined);
              await onChanged();
              onNotice(
                `Mot de passe provisoire enregistré pour ${saved.email} : transmettez-le. La personne est déconnectée et choisira le sien à sa prochaine connexion.`,
              );
            })
          }
        />
      )}
      {panel === 'tokens' && <TokensPanel userId={user.id} title={`Jetons de ${user.name}`} />}
    </li>
  );
}
